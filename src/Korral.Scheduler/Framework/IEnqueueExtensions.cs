namespace Korral.Scheduler.Framework;

/// <summary>
/// The cluster events after which a pod this plugin rejected may fit. A rejecting plugin that does not implement it is
/// treated as interested in every event.
/// </summary>
public interface IEnqueueExtensions
{
    IReadOnlyList<ClusterEvent> EventsToRegister();
}
