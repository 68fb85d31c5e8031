namespace Korral.Scheduler.Framework;

/// <summary>
/// Runs when no node passed Filter (preemption). Success with a nominated node: the pod is retried and expected to fit
/// there once victims are gone. Its status message is appended to the FailedScheduling message.
/// </summary>
public interface IPostFilterPlugin : IPlugin
{
    Task<(string? NominatedNodeName, Status Status)> PostFilterAsync(CycleState state, PodInfo pod, NodeToStatus filteredNodes, CancellationToken cancellationToken);
}
