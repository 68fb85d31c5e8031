using System.Globalization;

namespace Korral.Bench.Ingress;

/// <summary>CPU time used so far by an nginx: its master and workers (one process group), from /proc/PID/stat.</summary>
internal static class CpuTime
{
    // USER_HZ: the unit of utime and stime in /proc, 100 on every Linux this runs on.
    private const double TicksPerSecond = 100;

    public static TimeSpan OfGroup(int groupId)
    {
        double ticks = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                // After "(comm)": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime.
                if (int.Parse(fields[2], CultureInfo.InvariantCulture) == groupId)
                {
                    ticks += double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
                }
            }
            catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException)
            {
            }
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
