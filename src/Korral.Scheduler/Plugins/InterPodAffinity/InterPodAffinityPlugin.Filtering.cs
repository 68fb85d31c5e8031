using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins.InterPodAffinity;

public sealed partial class InterPodAffinityPlugin
{
    public const string ErrReasonExistingAntiAffinityRulesNotMatch = "node(s) didn't satisfy existing pods anti-affinity rules";
    public const string ErrReasonAffinityRulesNotMatch = "node(s) didn't match pod affinity rules";
    public const string ErrReasonAntiAffinityRulesNotMatch = "node(s) didn't match pod anti-affinity rules";

    internal const string PreFilterStateKey = "PreFilter" + PluginName;

    // Filter rejects thousands of nodes per pod: the answers are shared, not built per node. Affinity cannot be fixed by
    // preemption (removing pods never adds a matching one), anti-affinity can.
    private static readonly Status AffinityRulesNotMatch = Status.Unresolvable(ErrReasonAffinityRulesNotMatch).WithPlugin(PluginName);
    private static readonly Status AntiAffinityRulesNotMatch = Status.Unschedulable(ErrReasonAntiAffinityRulesNotMatch).WithPlugin(PluginName);
    private static readonly Status ExistingAntiAffinityRulesNotMatch = Status.Unschedulable(ErrReasonExistingAntiAffinityRulesNotMatch).WithPlugin(PluginName);

    /// <summary>
    /// Counts, per topology domain, existing pods whose required anti-affinity matches the pod (only nodes that hold such
    /// pods are looked at) and, when the pod has required affinity or anti-affinity on wider topologies than the node,
    /// existing pods that match them. Host-scoped terms are left to Filter. Skip when there is nothing to check.
    /// </summary>
    public (PreFilterResult? Result, Status Status) PreFilter(CycleState state, PodInfo pod, Snapshot snapshot)
    {
        if (pod.ParseError is { } error)
        {
            return (null, Status.Unresolvable($"parsing pod: {error}"));
        }

        var s = new PreFilterState(
            pod, ResolveNamespaces(pod.RequiredAffinityTerms), ResolveNamespaces(pod.RequiredAntiAffinityTerms), NamespaceLabels(pod.Namespace));

        foreach (var node in snapshot.NodesWithRequiredAntiAffinityPods)
        {
            if (node.Node is null)
            {
                continue;
            }

            foreach (var existing in node.PodsWithRequiredAntiAffinity)
            {
                s.CountExistingAntiAffinity(existing, node.Labels, 1);
            }
        }

        // Host-scoped anti-affinity is checked on the node in Filter; only affinity and other topologies need every pod.
        if (s.AffinityTerms.Length > 0 || s.TopologyAntiAffinityTerms.Length > 0)
        {
            foreach (var node in snapshot.Nodes)
            {
                if (node.Node is null)
                {
                    continue;
                }

                foreach (var existing in node.Pods)
                {
                    s.CountIncomingTerms(existing, node.Labels, 1);
                }
            }
        }

        if (s.ExistingAntiAffinityCounts.Count == 0 && !s.ExistingHostAntiAffinity && !s.HasRequiredTerms)
        {
            return (null, Status.Skip);
        }

        state.Write(PreFilterStateKey, s);
        return (null, Status.Success);
    }

    public Status AddPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node) => Update(state, podToAdd, node, 1);

    public Status RemovePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node) => Update(state, podToRemove, node, -1);

    /// <summary>Affinity first (unresolvable), then the pod's anti-affinity, then existing pods' anti-affinity towards it.</summary>
    public Status Filter(CycleState state, PodInfo pod, NodeInfo node)
    {
        if (state.Read<PreFilterState>(PreFilterStateKey) is not { } s)
        {
            return MissingState(PreFilterStateKey);
        }

        if (!s.SatisfiesAffinity(node))
        {
            return AffinityRulesNotMatch;
        }

        if (s.ConflictsWithAntiAffinity(node))
        {
            return AntiAffinityRulesNotMatch;
        }

        if (s.ConflictsWithExistingAntiAffinity(node))
        {
            return ExistingAntiAffinityRulesNotMatch;
        }

        return Status.Success;
    }

    private static Status Update(CycleState state, PodInfo pod, NodeInfo node, long delta)
    {
        if (state.Read<PreFilterState>(PreFilterStateKey) is not { } s)
        {
            return MissingState(PreFilterStateKey);
        }

        s.UpdateWithPod(pod, node.Labels, delta);
        return Status.Success;
    }

    private static Status MissingState(string key) => Status.Error($"error reading \"{key}\" from cycleState: not found");
}
