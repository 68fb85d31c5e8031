using System.Globalization;

namespace Korral.Bench.Cluster;

/// <summary>Reads memory figures of a process from /proc/PID/status (Linux).</summary>
public static class ProcStatus
{
    /// <summary>A "kB" field such as VmRSS or VmHWM, in bytes.</summary>
    public static long Read(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                var value = line[(field.Length + 1)..].Trim();
                var kb = value.EndsWith(" kB", StringComparison.Ordinal) ? value[..^3] : value;
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidDataException($"/proc/{pid}/status has no {field}");
    }
}
