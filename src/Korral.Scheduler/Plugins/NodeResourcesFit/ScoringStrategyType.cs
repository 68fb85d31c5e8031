namespace Korral.Scheduler.Plugins.NodeResourcesFit;

/// <summary>How NodeResourcesFit ranks nodes (upstream's ScoringStrategyType, same names).</summary>
public enum ScoringStrategyType
{
    /// <summary>Prefer the emptiest node: spreads pods (upstream's default).</summary>
    LeastAllocated,

    /// <summary>Prefer the fullest node: packs pods so empty nodes can be scaled away.</summary>
    MostAllocated,

    /// <summary>Score follows a piecewise linear function of utilization (<see cref="NodeResourcesFitOptions.Shape"/>).</summary>
    RequestedToCapacityRatio,
}
