using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Tests.Plugins.DefaultPreemption;

/// <summary>
/// A PreFilter/Filter pair in the style of inter-pod anti-affinity: PreFilter counts the pods labelled
/// <c>role=blocker</c> per node into the cycle state, Filter rejects nodes whose count is not zero and never looks at the
/// node's pods itself. Preemption can therefore only free a node through the RemovePod extension on a cloned state.
/// </summary>
internal sealed class BlockerPlugin : IPreFilterPlugin, IFilterPlugin, IPreFilterExtensions
{
    public const string StateKey = "PreFilterBlocker";

    public string Name => "Blocker";

    public IPreFilterExtensions Extensions => this;

    public (PreFilterResult? Result, Status Status) PreFilter(CycleState state, PodInfo pod, Snapshot snapshot)
    {
        var counts = new Counts();
        foreach (var node in snapshot.Nodes)
        {
            counts.ByNode[node.Name] = node.Pods.Count(IsBlocker);
        }

        state.Write(StateKey, counts);
        return (null, Status.Success);
    }

    public Status Filter(CycleState state, PodInfo pod, NodeInfo node) =>
        state.Read<Counts>(StateKey)!.ByNode.GetValueOrDefault(node.Name) > 0 ? Status.Unschedulable("node(s) had a blocker") : Status.Success;

    public Status AddPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node) => Change(state, podToAdd, node, 1);

    public Status RemovePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node) => Change(state, podToRemove, node, -1);

    private static bool IsBlocker(PodInfo pod) => pod.Labels.TryGetValue("role", out var role) && role == "blocker";

    private static Status Change(CycleState state, PodInfo pod, NodeInfo node, int delta)
    {
        if (IsBlocker(pod))
        {
            var counts = state.Read<Counts>(StateKey)!;
            counts.ByNode[node.Name] = counts.ByNode.GetValueOrDefault(node.Name) + delta;
        }

        return Status.Success;
    }

    public sealed class Counts : IStateData
    {
        public Dictionary<string, int> ByNode { get; private init; } = new(StringComparer.Ordinal);

        public IStateData Clone() => new Counts { ByNode = new Dictionary<string, int>(ByNode, StringComparer.Ordinal) };
    }
}
