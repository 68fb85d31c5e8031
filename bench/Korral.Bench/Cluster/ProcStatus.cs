using System.Globalization;

namespace Korral.Bench.Cluster;

/// <summary>Reads memory figures and per-thread CPU of a process from /proc/PID (Linux).</summary>
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

    /// <summary>
    /// CPU time (user + system, in clock ticks of 10 ms) of the process's threads whose name starts with
    /// <paramref name="threadName"/> (Linux keeps 15 characters: ".NET Tiered Com" is the tiered JIT's worker).
    /// </summary>
    public static long ThreadTicks(int pid, string threadName)
    {
        long total = 0;
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                if (!File.ReadAllText(Path.Combine(task, "comm")).StartsWith(threadName, StringComparison.Ordinal))
                {
                    continue;
                }

                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                total += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The thread ended between listing and reading.
            }
        }

        return total;
    }
}
