using Korral.Api.Selectors;
using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins.PodTopologySpread;

/// <summary>
/// A topology spread constraint with its selector compiled (matchLabelKeys merged in) and its defaults applied:
/// minDomains 1, nodeAffinityPolicy Honor, nodeTaintsPolicy Ignore.
/// </summary>
internal sealed record SpreadConstraint
{
    public const string HostnameKey = "kubernetes.io/hostname";

    public required int MaxSkew { get; init; }

    public required string TopologyKey { get; init; }

    public required LabelSelector Selector { get; init; }

    public int MinDomains { get; init; } = 1;

    /// <summary>Only nodes that match the pod's node selector and required node affinity count as domains.</summary>
    public bool HonorNodeAffinity { get; init; } = true;

    /// <summary>Only nodes whose NoSchedule/NoExecute taints the pod tolerates count as domains.</summary>
    public bool HonorNodeTaints { get; init; }

    public bool IsHostname => TopologyKey == HostnameKey;

    /// <summary>
    /// Pods in <paramref name="ns"/> that the selector matches, terminating pods left out. An empty selector counts
    /// nothing (upstream's countPodsMatchSelector), although it matches the incoming pod itself.
    /// </summary>
    public int CountMatching(List<PodInfo> pods, string ns)
    {
        if (Selector.Empty)
        {
            return 0;
        }

        var count = 0;
        foreach (var pod in pods)
        {
            if (pod.Namespace == ns && !pod.Terminating && Selector.Matches(pod.Labels))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// The node's value for every constraint's topology key into <paramref name="values"/> (one lookup per key); false
    /// when a key is missing.
    /// </summary>
    public static bool TryGetValues(IReadOnlyDictionary<string, string> nodeLabels, SpreadConstraint[] constraints, string[] values)
    {
        for (var i = 0; i < constraints.Length; i++)
        {
            if (!nodeLabels.TryGetValue(constraints[i].TopologyKey, out var value))
            {
                return false;
            }

            values[i] = value;
        }

        return true;
    }

    /// <summary>Whether every constraint's topology key is a label of the node.</summary>
    public static bool NodeHasAllKeys(IReadOnlyDictionary<string, string> nodeLabels, SpreadConstraint[] constraints)
    {
        foreach (var c in constraints)
        {
            if (!nodeLabels.ContainsKey(c.TopologyKey))
            {
                return false;
            }
        }

        return true;
    }
}
