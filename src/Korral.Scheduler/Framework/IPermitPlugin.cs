namespace Korral.Scheduler.Framework;

/// <summary>
/// Approves, rejects or holds the pod before binding. Wait: the pod waits (binding happens off the scheduling loop)
/// until <see cref="IWaitingPods"/> allows or rejects it, or the returned timeout passes (then it is rejected).
/// </summary>
public interface IPermitPlugin : IPlugin
{
    (Status Status, TimeSpan Timeout) Permit(CycleState state, PodInfo pod, string nodeName);
}
