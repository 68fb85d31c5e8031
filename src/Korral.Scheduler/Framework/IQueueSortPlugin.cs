namespace Korral.Scheduler.Framework;

/// <summary>Orders the active queue: true when <paramref name="a"/> should be scheduled before <paramref name="b"/>.</summary>
public interface IQueueSortPlugin : IPlugin
{
    bool Less(QueuedPodInfo a, QueuedPodInfo b);
}
