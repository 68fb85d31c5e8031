namespace Korral.Scheduler.Plugins.DefaultPreemption;

/// <summary>
/// Upstream's DefaultPreemptionArgs: how many nodes the dry run must turn into candidates before it stops looking —
/// a percentage of the nodes preemption could help on, but at least an absolute number (and never more than there are).
/// </summary>
public sealed record DefaultPreemptionArgs
{
    public int MinCandidateNodesPercentage { get; init; } = 10;

    public int MinCandidateNodesAbsolute { get; init; } = 100;

    /// <summary>The number of candidates to find among <paramref name="numNodes"/> potential nodes.</summary>
    public int NumCandidates(int numNodes)
    {
        var n = (int)((long)numNodes * MinCandidateNodesPercentage / 100);
        n = Math.Max(n, MinCandidateNodesAbsolute);
        return Math.Min(n, numNodes);
    }
}
