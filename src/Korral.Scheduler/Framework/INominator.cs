namespace Korral.Scheduler.Framework;

/// <summary>
/// Pods that preemption nominated to a node (<c>status.nominatedNodeName</c>) and that wait for their victims to go:
/// other pods of lower priority must not take the room they were promised.
/// </summary>
public interface INominator
{
    IReadOnlyList<PodInfo> NominatedPodsForNode(string nodeName);

    void AddNominatedPod(PodInfo pod, string nodeName);

    void DeleteNominatedPodIfExists(string podUid);
}
