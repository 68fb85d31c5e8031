namespace Korral.Scheduler.Plugins.InterPodAffinity;

/// <summary>Upstream's InterPodAffinityArgs with their defaults.</summary>
public sealed record InterPodAffinityArgs
{
    /// <summary>
    /// The score an existing pod's required affinity term adds to the nodes of its domain when the incoming pod matches
    /// it (0–100, default 1): required affinity is symmetric when scoring.
    /// </summary>
    public int HardPodAffinityWeight { get; init; } = 1;

    /// <summary>When true, existing pods' preferred terms are ignored for pods that have no preferred terms themselves.</summary>
    public bool IgnorePreferredTermsOfExistingPods { get; init; }
}
