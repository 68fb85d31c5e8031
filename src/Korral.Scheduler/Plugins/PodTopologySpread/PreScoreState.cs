namespace Korral.Scheduler.Plugins.PodTopologySpread;

/// <summary>
/// What Score needs for the soft constraints, built in PreScore and only read afterwards: matching pods per domain of
/// the feasible nodes (hostname constraints are counted per node in Score), the nodes that lack a topology key, and the
/// per-constraint weight that keeps small topologies from being drowned by large ones.
/// </summary>
internal sealed class PreScoreState(SpreadConstraint[] constraints)
{
    public SpreadConstraint[] Constraints { get; } = constraints;

    /// <summary>Feasible nodes missing a topology key: scored 0.</summary>
    public HashSet<string> IgnoredNodes { get; } = new(StringComparer.Ordinal);

    /// <summary>Per constraint: matching pods per domain that at least one feasible node is in.</summary>
    public Dictionary<string, long>[] PodCounts { get; } = [.. constraints.Select(_ => new Dictionary<string, long>(StringComparer.Ordinal))];

    /// <summary>Per constraint: ln(domains + 2).</summary>
    public double[] NormalizingWeights { get; } = new double[constraints.Length];
}
