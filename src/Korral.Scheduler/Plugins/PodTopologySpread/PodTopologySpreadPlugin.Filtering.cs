using System.Runtime.InteropServices;
using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins.PodTopologySpread;

public sealed partial class PodTopologySpreadPlugin
{
    public const string ErrReasonConstraintsNotMatch = "node(s) didn't match pod topology spread constraints";
    public const string ErrReasonNodeLabelNotMatch = ErrReasonConstraintsNotMatch + " (missing required label)";

    internal const string PreFilterStateKey = "PreFilter" + PluginName;

    // Shared answers: Filter rejects thousands of nodes per pod. A node without the topology label never becomes
    // eligible through preemption; a skewed domain can.
    private static readonly Status ConstraintsNotMatch = Status.Unschedulable(ErrReasonConstraintsNotMatch).WithPlugin(PluginName);
    private static readonly Status NodeLabelNotMatch = Status.Unresolvable(ErrReasonNodeLabelNotMatch).WithPlugin(PluginName);

    /// <summary>
    /// Counts, per hard constraint, the matching pods of the pod's namespace in every eligible domain (nodes with all the
    /// topology keys that pass the inclusion policies). Skip when the pod has no hard constraints.
    /// </summary>
    public (PreFilterResult? Result, Status Status) PreFilter(CycleState state, PodInfo pod, Snapshot snapshot)
    {
        if (!TryGetConstraints(pod, DoNotSchedule, out var constraints, out var error))
        {
            return (null, Status.Error($"get constraints from pod: {error}"));
        }

        if (constraints.Length == 0)
        {
            return (null, Status.Skip);
        }

        var s = new PreFilterState(pod, constraints, RequiredNodeAffinity.Of(pod));
        var values = new string[constraints.Length];
        foreach (var node in snapshot.Nodes)
        {
            if (node.Node is null || !SpreadConstraint.TryGetValues(node.Labels, constraints, values))
            {
                continue;
            }

            var inclusion = new NodeInclusion(pod, node, s.NodeAffinity);
            for (var i = 0; i < constraints.Length; i++)
            {
                // Eligible domains are present even without matching pods: they can hold the global minimum.
                if (inclusion.Includes(constraints[i]))
                {
                    ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(s.MatchNum[i], values[i], out _);
                    count += node.Pods.Count == 0 ? 0 : constraints[i].CountMatching(node.Pods, pod.Namespace);
                }
            }
        }

        s.ComputePaths();
        state.Write(PreFilterStateKey, s);
        return (null, Status.Success);
    }

    public Status AddPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node) => Update(state, podToAdd, node, 1);

    public Status RemovePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node) => Update(state, podToRemove, node, -1);

    /// <summary>
    /// For every hard constraint: the node must have the topology label, and placing the pod there must keep
    /// (matching pods in the node's domain + the pod itself if it matches − global minimum) within maxSkew.
    /// </summary>
    public Status Filter(CycleState state, PodInfo pod, NodeInfo node)
    {
        if (state.Read<PreFilterState>(PreFilterStateKey) is not { } s)
        {
            return MissingState();
        }

        var constraints = s.Constraints;
        for (var i = 0; i < constraints.Length; i++)
        {
            var c = constraints[i];
            if (!node.Labels.TryGetValue(c.TopologyKey, out var value))
            {
                return NodeLabelNotMatch;
            }

            var skew = s.MatchNum[i].GetValueOrDefault(value) + s.SelfMatch[i] - s.MinMatchNum(i);
            if (skew > c.MaxSkew)
            {
                return ConstraintsNotMatch;
            }
        }

        return Status.Success;
    }

    private static Status Update(CycleState state, PodInfo pod, NodeInfo node, int delta)
    {
        if (state.Read<PreFilterState>(PreFilterStateKey) is not { } s)
        {
            return MissingState();
        }

        s.UpdateWithPod(pod, node, delta);
        return Status.Success;
    }

    private static Status MissingState() => Status.Error($"reading \"{PreFilterStateKey}\" from cycleState: not found");
}
