namespace Korral.Scheduler.Framework;

/// <summary>Work that must be done before the pod is bound (binding its volume claims); runs off the scheduling loop.</summary>
public interface IPreBindPlugin : IPlugin
{
    Task<Status> PreBindAsync(CycleState state, PodInfo pod, string nodeName, CancellationToken cancellationToken);
}
