namespace Korral.Bench.Scheduler.Workloads;

/// <summary>
/// The workloads, with upstream's sizes and thresholds (test/integration/scheduler_perf/{misc,affinity,topology_spreading}/
/// performance-config.yaml). The project's targets: 2,000 pods/s for the basic workloads, 300 for anti-affinity.
/// </summary>
public static class WorkloadCatalog
{
    public static IReadOnlyList<Workload> All { get; } =
    [
        new()
        {
            Key = "basic-10k", Upstream = "SchedulingBasic/5000Nodes_10000Pods",
            Nodes = 5000, InitPods = 1000, MeasurePods = 10000, UpstreamThreshold = 680, Target = 2000,
        },
        new()
        {
            Key = "basic-50k", Upstream = "SchedulingBasic/5000Nodes_50000Pods",
            Nodes = 5000, InitPods = 5000, MeasurePods = 50000, UpstreamThreshold = 810, Target = 2000,
        },
        new()
        {
            Key = "anti-affinity", Upstream = "SchedulingPodAntiAffinity/5000Nodes_2000Pods",
            Nodes = 5000, InitPods = 1000, MeasurePods = 2000, InitPod = PodKind.AntiAffinity, MeasurePod = PodKind.AntiAffinity,
            UpstreamThreshold = 60, Target = 300,
        },
        new()
        {
            Key = "topology-spread", Upstream = "TopologySpreading/5000Nodes_5000Pods",
            Nodes = 5000, InitPods = 5000, MeasurePods = 5000, Zones = NodeZones.ThreeMoons, MeasurePod = PodKind.TopologySpread,
            UpstreamThreshold = 460,
        },
        new()
        {
            Key = "topology-spread-preferred", Upstream = "PreferredTopologySpreading/5000Nodes_5000Pods",
            Nodes = 5000, InitPods = 5000, MeasurePods = 5000, Zones = NodeZones.ThreeMoons, MeasurePod = PodKind.PreferredTopologySpread,
            UpstreamThreshold = 340,
        },
        new()
        {
            Key = "node-affinity", Upstream = "SchedulingNodeAffinity/5000Nodes_10000Pods",
            Nodes = 5000, InitPods = 5000, MeasurePods = 10000, Zones = NodeZones.Zone1, InitPod = PodKind.NodeAffinity, MeasurePod = PodKind.NodeAffinity,
            UpstreamThreshold = 220,
        },
        new()
        {
            Key = "preemption", Upstream = "PreemptionBasic/500Nodes",
            Nodes = 500, InitPods = 2000, MeasurePods = 500, InitPod = PodKind.LowPriority, MeasurePod = PodKind.HighPriority,
        },
    ];

    public static Workload? Find(string key) => All.FirstOrDefault(w => w.Key == key);
}
