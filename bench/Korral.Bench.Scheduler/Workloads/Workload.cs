namespace Korral.Bench.Scheduler.Workloads;

/// <summary>
/// One scheduler_perf workload: nodes, then <see cref="InitPods"/> pods scheduled before measuring (in namespace sched-0),
/// then <see cref="MeasurePods"/> pods whose scheduling is measured (in sched-1).
/// </summary>
public sealed record Workload
{
    /// <summary>The name on the command line (--workload).</summary>
    public required string Key { get; init; }

    /// <summary>Upstream's test case and workload name, e.g. SchedulingBasic/5000Nodes_10000Pods.</summary>
    public required string Upstream { get; init; }

    public required int Nodes { get; init; }

    public required int InitPods { get; init; }

    public required int MeasurePods { get; init; }

    public NodeZones Zones { get; init; } = NodeZones.None;

    public PodKind InitPod { get; init; } = PodKind.Default;

    public PodKind MeasurePod { get; init; } = PodKind.Default;

    /// <summary>Upstream's pods/s threshold for this workload (performance-config.yaml), if it has one.</summary>
    public double? UpstreamThreshold { get; init; }

    /// <summary>The project's own target in pods/s, if it set one.</summary>
    public double? Target { get; init; }

    /// <summary>Whether the workload needs the PriorityClass of value 10 the high-priority pods name.</summary>
    public bool NeedsHighPriorityClass => InitPod == PodKind.HighPriority || MeasurePod == PodKind.HighPriority;

    /// <summary>The same workload at other sizes (flags for a quick run); the shape stays upstream's.</summary>
    public Workload Resized(int? nodes, int? initPods, int? measurePods)
    {
        var resized = this with { Nodes = nodes ?? Nodes, InitPods = initPods ?? InitPods, MeasurePods = measurePods ?? MeasurePods };
        return resized with { IsUpstreamSize = IsUpstreamSize && resized.Nodes == Nodes && resized.InitPods == InitPods && resized.MeasurePods == MeasurePods };
    }

    /// <summary>False once resized: its figure is then not comparable with upstream's threshold.</summary>
    public bool IsUpstreamSize { get; init; } = true;
}
