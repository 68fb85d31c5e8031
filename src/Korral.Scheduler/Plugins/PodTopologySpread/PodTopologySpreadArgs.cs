using Korral.Api.Models.CoreV1;

namespace Korral.Scheduler.Plugins.PodTopologySpread;

/// <summary>
/// Upstream's PodTopologySpreadArgs: the constraints given to pods that have none, taken from the services, replication
/// controllers, replica sets and stateful sets that select the pod. Default: the system defaults (upstream's
/// defaultingType System).
/// </summary>
public sealed record PodTopologySpreadArgs
{
    /// <summary>Use <see cref="SystemDefaultConstraints"/> (true, upstream's default) or <see cref="DefaultConstraints"/> (false: List).</summary>
    public bool SystemDefaulting { get; init; } = true;

    /// <summary>Cluster-level default constraints (with defaultingType List); their label selectors must be empty.</summary>
    public IReadOnlyList<TopologySpreadConstraint> DefaultConstraints { get; init; } = [];

    /// <summary>
    /// Upstream's system defaults: at most 3 more matching pods on one node than another, 5 in one zone than another, both
    /// ScheduleAnyway (scores only).
    /// </summary>
    public static IReadOnlyList<TopologySpreadConstraint> SystemDefaultConstraints =>
    [
        new() { TopologyKey = "kubernetes.io/hostname", WhenUnsatisfiable = "ScheduleAnyway", MaxSkew = 3 },
        new() { TopologyKey = "topology.kubernetes.io/zone", WhenUnsatisfiable = "ScheduleAnyway", MaxSkew = 5 },
    ];
}
