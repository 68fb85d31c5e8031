using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins.PodTopologySpread;

public sealed partial class PodTopologySpreadPlugin
{
    internal const string PreScoreStateKey = "PreScore" + PluginName;

    /// <summary>
    /// Counts, per soft constraint, matching pods in the domains of the feasible nodes, looking at pods on all nodes that
    /// pass the inclusion policies. With the system defaults, nodes need not have every topology key (a cluster without
    /// zones still spreads by hostname). Skip when the pod has no soft constraints.
    /// </summary>
    public Status PreScore(CycleState state, PodInfo pod, IReadOnlyList<NodeInfo> nodes)
    {
        var allNodes = _snapshot().Nodes;
        if (allNodes.Count == 0)
        {
            return Status.Skip;
        }

        if (!TryGetConstraints(pod, ScheduleAnyway, out var constraints, out var error))
        {
            return Status.Error($"calculating preScoreState: {error}");
        }

        if (constraints.Length == 0)
        {
            return Status.Skip;
        }

        var requireAllTopologies = pod.Pod.Spec?.TopologySpreadConstraints is { Count: > 0 } || !_systemDefaulted;
        var s = new PreScoreState(constraints);
        InitDomains(s, nodes, requireAllTopologies);

        var nodeAffinity = RequiredNodeAffinity.Of(pod);
        foreach (var node in allNodes)
        {
            if (node.Node is null || (requireAllTopologies && !SpreadConstraint.NodeHasAllKeys(node.Labels, constraints)))
            {
                continue;
            }

            var inclusion = new NodeInclusion(pod, node, nodeAffinity);
            for (var i = 0; i < constraints.Length; i++)
            {
                var c = constraints[i];
                if (!inclusion.Includes(c))
                {
                    continue;
                }

                // Only domains of feasible nodes are scored (hostname domains are counted in Score). A node without the
                // key counts towards the "" domain as upstream does.
                ref var count = ref CollectionsMarshal.GetValueRefOrNullRef(s.PodCounts[i], node.Labels.GetValueOrDefault(c.TopologyKey, ""));
                if (!Unsafe.IsNullRef(ref count))
                {
                    count += c.CountMatching(node.Pods, pod.Namespace);
                }
            }
        }

        state.Write(PreScoreStateKey, s);
        return Status.Success;
    }

    /// <summary>
    /// The sum over soft constraints whose key the node has of (matching pods in its domain × the constraint's weight +
    /// maxSkew − 1), rounded: more matching pods, higher score, worse after NormalizeScore.
    /// </summary>
    public (long Score, Status Status) Score(CycleState state, PodInfo pod, NodeInfo node)
    {
        if (state.Read<PreScoreState>(PreScoreStateKey) is not { } s)
        {
            return (0, MissingPreScoreState());
        }

        if (s.IgnoredNodes.Contains(node.Name))
        {
            return (0, Status.Success);
        }

        double score = 0;
        for (var i = 0; i < s.Constraints.Length; i++)
        {
            var c = s.Constraints[i];
            if (!node.Labels.TryGetValue(c.TopologyKey, out var value))
            {
                continue;
            }

            var count = c.IsHostname ? c.CountMatching(node.Pods, pod.Namespace) : s.PodCounts[i].GetValueOrDefault(value);
            score += (count * s.NormalizingWeights[i]) + (c.MaxSkew - 1);
        }

        return ((long)Math.Round(score, MidpointRounding.AwayFromZero), Status.Success);
    }

    /// <summary>
    /// Inverts and scales: the node with the fewest matching pods gets 100, others 100 × (max + min − score) / max;
    /// ignored nodes get 0.
    /// </summary>
    public Status NormalizeScore(CycleState state, PodInfo pod, Span<NodeScore> scores)
    {
        const long invalidScore = -1;
        if (state.Read<PreScoreState>(PreScoreStateKey) is not { } s)
        {
            return MissingPreScoreState();
        }

        var min = long.MaxValue;
        long max = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            if (s.IgnoredNodes.Contains(scores[i].Name))
            {
                scores[i].Score = invalidScore;
                continue;
            }

            min = Math.Min(min, scores[i].Score);
            max = Math.Max(max, scores[i].Score);
        }

        for (var i = 0; i < scores.Length; i++)
        {
            var score = scores[i].Score;
            scores[i].Score = score == invalidScore ? 0
                : max == 0 ? IScorePlugin.MaxNodeScore
                : IScorePlugin.MaxNodeScore * (max + min - score) / max;
        }

        return Status.Success;
    }

    private static Status MissingPreScoreState() => Status.Error($"error reading \"{PreScoreStateKey}\" from cycleState: not found");

    /// <summary>
    /// Registers the domains of the feasible nodes (nodes missing a key are ignored when every key is required) and the
    /// per-constraint weights: ln(number of domains + 2), counting feasible nodes for hostname.
    /// </summary>
    private static void InitDomains(PreScoreState s, IReadOnlyList<NodeInfo> feasible, bool requireAllTopologies)
    {
        var constraints = s.Constraints;
        var sizes = new int[constraints.Length];
        foreach (var node in feasible)
        {
            if (requireAllTopologies && !SpreadConstraint.NodeHasAllKeys(node.Labels, constraints))
            {
                s.IgnoredNodes.Add(node.Name);
                continue;
            }

            for (var i = 0; i < constraints.Length; i++)
            {
                if (!constraints[i].IsHostname && s.PodCounts[i].TryAdd(node.Labels.GetValueOrDefault(constraints[i].TopologyKey, ""), 0))
                {
                    sizes[i]++;
                }
            }
        }

        for (var i = 0; i < constraints.Length; i++)
        {
            var size = constraints[i].IsHostname ? feasible.Count - s.IgnoredNodes.Count : sizes[i];
            s.NormalizingWeights[i] = Math.Log(size + 2);
        }
    }
}
