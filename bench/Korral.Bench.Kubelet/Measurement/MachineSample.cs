using System.Globalization;

namespace Korral.Bench.Kubelet.Measurement;

/// <summary>
/// A reading of the machine (load average, busy and idle CPU ticks from /proc/stat) and of the korral server's and its
/// containerd's CPU time, so that a scenario can say how busy the shared 2 cores were while it ran and what the node took.
/// </summary>
public sealed record MachineSample(DateTimeOffset At, double Load1, long TotalTicks, long IdleTicks, long ServerTicks, long ContainerdTicks)
{
    /// <summary>The node's processes together: the korral server and its containerd.</summary>
    public long NodeTicks => ServerTicks + ContainerdTicks;

    private const double TicksPerSecond = 100.0; // USER_HZ on Linux

    public static MachineSample Take(int serverPid, int? containerdPid)
    {
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ') : ["0"];
        long total = 0, idle = 0;
        var cpu = File.Exists("/proc/stat") ? File.ReadLines("/proc/stat").FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal)) : null;
        if (cpu is not null)
        {
            var fields = cpu.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            total = fields.Take(8).Sum();
            idle = fields[3] + (fields.Length > 4 ? fields[4] : 0);
        }

        return new MachineSample(DateTimeOffset.UtcNow, double.TryParse(load[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var l) ? l : 0,
            total, idle, ProcessTicks(serverPid), containerdPid is { } c ? ProcessTicks(c) : 0);
    }

    /// <summary>CPU the node's processes (server, containerd with the CNI plugins it runs) used between two samples, in ms.</summary>
    public static double NodeCpuMs(MachineSample from, MachineSample to) => (to.NodeTicks - from.NodeTicks) * 1000 / TicksPerSecond;

    /// <summary>CPU the korral server alone (API server, scheduler, controllers, kubelet, image mirror) used between two samples, in ms.</summary>
    public static double ServerCpuMs(MachineSample from, MachineSample to) => (to.ServerTicks - from.ServerTicks) * 1000 / TicksPerSecond;

    /// <summary>Between two samples: cores the whole machine was busy, and cores the node's processes (server, containerd) used.</summary>
    public static (double Machine, double Node) CoresUsed(MachineSample from, MachineSample to)
    {
        var seconds = (to.At - from.At).TotalSeconds;
        if (seconds <= 0)
        {
            return (0, 0);
        }

        var busy = ((to.TotalTicks - from.TotalTicks) - (to.IdleTicks - from.IdleTicks)) / TicksPerSecond / seconds;
        var node = (to.NodeTicks - from.NodeTicks) / TicksPerSecond / seconds;
        return (busy, node);
    }

    /// <summary>CPU time of processes (with their waited-for children) in milliseconds.</summary>
    public static double CpuMs(IEnumerable<int> pids) => pids.Sum(ProcessTicks) * 1000 / TicksPerSecond;

    /// <summary>utime + stime of a process and its waited-for children (/proc/PID/stat fields 14-17); 0 when it is gone.</summary>
    private static long ProcessTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields.Skip(11).Take(4).Sum(f => long.Parse(f, CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return 0;
        }
    }
}
