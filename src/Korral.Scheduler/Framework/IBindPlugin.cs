namespace Korral.Scheduler.Framework;

/// <summary>Binds the pod to the node. Skip passes to the next bind plugin; the first non-skip answer wins.</summary>
public interface IBindPlugin : IPlugin
{
    Task<Status> BindAsync(CycleState state, PodInfo pod, string nodeName, CancellationToken cancellationToken);
}
