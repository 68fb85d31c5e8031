using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins.DefaultPreemption;

/// <summary>
/// Upstream's MoreImportantPod: higher priority first, then the pod that started earlier (it has been running longer).
/// A pod without <c>status.startTime</c> counts as starting now.
/// </summary>
internal sealed class PodImportance(DateTimeOffset now) : IComparer<PodInfo>
{
    public DateTimeOffset StartTime(PodInfo pod) => pod.Pod.Status?.StartTime ?? now;

    /// <summary>Negative when <paramref name="a"/> is more important than <paramref name="b"/>.</summary>
    public int Compare(PodInfo? a, PodInfo? b)
    {
        if (a is null || b is null)
        {
            return a is null ? (b is null ? 0 : 1) : -1;
        }

        var byPriority = b.Priority.CompareTo(a.Priority);
        return byPriority != 0 ? byPriority : StartTime(a).CompareTo(StartTime(b));
    }

    /// <summary>The pods from the most to the least important; stable, so equal pods keep their order.</summary>
    public List<PodInfo> Sort(IEnumerable<PodInfo> pods) => [.. pods.Order(this)];
}
