using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins.SchedulingGates;

/// <summary>
/// Upstream's SchedulingGates: a pod with <c>spec.schedulingGates</c> stays out of the active queue until every gate is
/// removed. Upstream answers UnschedulableAndUnresolvable from PreEnqueue; our framework has a dedicated Pending code
/// for "held before the queue", with the same message (<c>waiting for scheduling gates: [a b]</c>, Go's %v of a slice).
/// </summary>
public sealed class SchedulingGatesPlugin : IPreEnqueuePlugin, IEnqueueExtensions
{
    public const string PluginName = "SchedulingGates";

    private static readonly IReadOnlyList<ClusterEvent> Events =
    [
        // Only the pod's own update that removes gates can release it.
        new(EventResource.UnscheduledPod, ActionType.UpdatePodSchedulingGates),
    ];

    public string Name => PluginName;

    public Status PreEnqueue(PodInfo pod)
    {
        var gates = pod.Pod.Spec?.SchedulingGates;
        if (gates is null || gates.Count == 0)
        {
            return Status.Success;
        }

        var names = new string[gates.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = gates[i].Name ?? "";
        }

        return Status.Pending($"waiting for scheduling gates: [{string.Join(' ', names)}]");
    }

    public IReadOnlyList<ClusterEvent> EventsToRegister() => Events;
}
