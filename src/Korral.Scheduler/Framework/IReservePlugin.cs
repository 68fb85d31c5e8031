namespace Korral.Scheduler.Framework;

/// <summary>Claims what the pod will use on the chosen node before binding; Unreserve undoes it when the pod fails later.</summary>
public interface IReservePlugin : IPlugin
{
    Status Reserve(CycleState state, PodInfo pod, string nodeName);

    void Unreserve(CycleState state, PodInfo pod, string nodeName);
}
