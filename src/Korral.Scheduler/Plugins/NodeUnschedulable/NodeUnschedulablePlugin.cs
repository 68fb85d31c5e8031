using Korral.Api.Models;
using Korral.Scheduler.Framework;
using Korral.Scheduler.Plugins.Helper;

namespace Korral.Scheduler.Plugins.NodeUnschedulable;

/// <summary>
/// Upstream's NodeUnschedulable: a cordoned node (<c>spec.unschedulable</c>) takes only pods that tolerate the
/// <c>node.kubernetes.io/unschedulable:NoSchedule</c> taint (DaemonSet pods do). Preemption cannot uncordon a node, so the
/// rejection is UnschedulableAndUnresolvable.
/// </summary>
public sealed class NodeUnschedulablePlugin : IFilterPlugin, IEnqueueExtensions
{
    public const string PluginName = "NodeUnschedulable";

    public const string ErrReasonUnschedulable = "node(s) were unschedulable";

    private static readonly Status Rejected = Status.Unresolvable(ErrReasonUnschedulable);

    private static readonly IReadOnlyList<ClusterEvent> Events =
    [
        new(EventResource.Node, ActionType.Add | ActionType.UpdateNodeTaint),
        new(EventResource.UnscheduledPod, ActionType.UpdatePodTolerations),
    ];

    public string Name => PluginName;

    public Status Filter(CycleState state, PodInfo pod, NodeInfo node)
    {
        if (!node.Unschedulable)
        {
            return Status.Success;
        }

        return TolerationMatching.AnyTolerates(pod.Tolerations, TaintEffects.UnschedulableTaintKey, "", TaintEffects.NoSchedule)
            ? Status.Success
            : Rejected;
    }

    public IReadOnlyList<ClusterEvent> EventsToRegister() => Events;
}
