namespace Korral.Bench.Scheduler.Workloads;

/// <summary>How nodes get the topology.kubernetes.io/zone label (upstream's labelNodePrepareStrategy of the workload).</summary>
public enum NodeZones
{
    /// <summary>No zone label (node-default.yaml as it is).</summary>
    None,

    /// <summary>Every node in zone1 (SchedulingNodeAffinity).</summary>
    Zone1,

    /// <summary>moon-1, moon-2, moon-3 (TopologySpreading); assigned in turn, so the zones are equal in size.</summary>
    ThreeMoons,
}
