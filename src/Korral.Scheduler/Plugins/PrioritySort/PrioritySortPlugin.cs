using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins.PrioritySort;

/// <summary>
/// Upstream's PrioritySort: the active queue pops the pod with the highest <c>spec.priority</c> first (unset counts as
/// 0); among equal priorities the one queued earlier goes first, so no pod starves behind later arrivals.
/// </summary>
public sealed class PrioritySortPlugin : IQueueSortPlugin
{
    public const string PluginName = "PrioritySort";

    public string Name => PluginName;

    public bool Less(QueuedPodInfo a, QueuedPodInfo b)
    {
        var pa = a.Pod.Priority;
        var pb = b.Pod.Priority;
        return pa > pb || (pa == pb && a.Timestamp < b.Timestamp);
    }
}
