using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Runtime;

/// <summary>Why a pod found no node: per-node statuses, the plugins that rejected it, and PreFilter/PostFilter messages.</summary>
public sealed class Diagnosis
{
    public NodeToStatus NodeToStatus { get; } = new();

    public HashSet<string> UnschedulablePlugins { get; } = new(StringComparer.Ordinal);

    /// <summary>Set when a PreFilter rejected the pod for every node.</summary>
    public string? PreFilterMessage { get; set; }

    /// <summary>What PostFilter (preemption) had to say.</summary>
    public string? PostFilterMessage { get; set; }
}
