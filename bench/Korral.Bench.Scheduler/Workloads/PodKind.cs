namespace Korral.Bench.Scheduler.Workloads;

/// <summary>The pod templates of upstream scheduler_perf (test/integration/scheduler_perf/templates) this benchmark uses.</summary>
public enum PodKind
{
    /// <summary>pod-default.yaml: pause, container port 80, requests = limits cpu 100m, memory 500Mi.</summary>
    Default,

    /// <summary>pod-with-pod-anti-affinity.yaml: label color=green, required anti-affinity to color=green on kubernetes.io/hostname in sched-0 and sched-1.</summary>
    AntiAffinity,

    /// <summary>pod-with-node-affinity.yaml: required node affinity topology.kubernetes.io/zone In (zone1, zone2).</summary>
    NodeAffinity,

    /// <summary>pod-with-topology-spreading.yaml: label color=blue, maxSkew 5 on the zone, DoNotSchedule, selector color=blue.</summary>
    TopologySpread,

    /// <summary>pod-with-preferred-topology-spreading.yaml: the same constraint with ScheduleAnyway.</summary>
    PreferredTopologySpread,

    /// <summary>pod-low-priority.yaml: priority 0, terminationGracePeriodSeconds 0, cpu 900m, memory 500Mi.</summary>
    LowPriority,

    /// <summary>pod-high-priority.yaml: priority 10 (here through a PriorityClass of value 10), cpu 3000m, memory 500Mi.</summary>
    HighPriority,
}
