namespace Korral.Scheduler.Framework;

/// <summary>Whether the pod can run on one node. Called concurrently for different nodes; reads state only.</summary>
public interface IFilterPlugin : IPlugin
{
    Status Filter(CycleState state, PodInfo pod, NodeInfo node);
}
