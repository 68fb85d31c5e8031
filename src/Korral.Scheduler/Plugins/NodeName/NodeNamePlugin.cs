using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins.NodeName;

/// <summary>
/// Upstream's NodeName: a pod that names its node in <c>spec.nodeName</c> fits only that node.
/// </summary>
public sealed class NodeNamePlugin : IFilterPlugin, IEnqueueExtensions
{
    public const string PluginName = "NodeName";

    public const string ErrReason = "node(s) didn't match the requested node name";

    private static readonly Status Rejected = Status.Unresolvable(ErrReason);

    private static readonly IReadOnlyList<ClusterEvent> Events =
    [
        // The named node showing up is the only change that helps.
        new(EventResource.Node, ActionType.Add),
    ];

    public string Name => PluginName;

    public Status Filter(CycleState state, PodInfo pod, NodeInfo node) =>
        pod.NodeName.Length == 0 || string.Equals(pod.NodeName, node.Name, StringComparison.Ordinal) ? Status.Success : Rejected;

    public IReadOnlyList<ClusterEvent> EventsToRegister() => Events;
}
