using System.Diagnostics;
using System.Globalization;

namespace Korral.Bench.Scheduler.Measurement;

/// <summary>
/// A reading of the machine (load average, total and idle CPU ticks from /proc/stat) and of this process's CPU time, so
/// that a phase can say how much of the 2 cores it had and how much other processes took meanwhile.
/// </summary>
public sealed record MachineSample(DateTimeOffset At, double Load1, double Load5, long TotalTicks, long IdleTicks, TimeSpan ProcessCpu)
{
    /// <summary>This process's garbage collections so far (gen 0, 1, 2), total pause and bytes allocated.</summary>
    public (int Gen0, int Gen1, int Gen2, TimeSpan Pause, long Allocated) Gc { get; init; } =
        (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes());

    public static MachineSample Take()
    {
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ') : ["0", "0"];
        long total = 0, idle = 0;
        var cpu = File.Exists("/proc/stat") ? File.ReadLines("/proc/stat").FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal)) : null;
        if (cpu is not null)
        {
            var fields = cpu.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            total = fields.Take(8).Sum();
            idle = fields[3] + (fields.Length > 4 ? fields[4] : 0);
        }

        using var self = Process.GetCurrentProcess();
        return new MachineSample(DateTimeOffset.UtcNow, Parse(load[0]), Parse(load[1]), total, idle, self.TotalProcessorTime);
    }

    /// <summary>Between two samples: cores this process used, and cores the rest of the machine used.</summary>
    public static (double Ours, double Others) CoresUsed(MachineSample from, MachineSample to)
    {
        var seconds = (to.At - from.At).TotalSeconds;
        if (seconds <= 0)
        {
            return (0, 0);
        }

        var ticksPerSecond = 100.0; // USER_HZ on Linux
        var busyCores = ((to.TotalTicks - from.TotalTicks) - (to.IdleTicks - from.IdleTicks)) / ticksPerSecond / seconds;
        var ours = (to.ProcessCpu - from.ProcessCpu).TotalSeconds / seconds;
        return (ours, Math.Max(0, busyCores - ours));
    }

    private static double Parse(string s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 0;
}
