namespace Korral.Scheduler.Framework;

/// <summary>Told after a successful bind (informational).</summary>
public interface IPostBindPlugin : IPlugin
{
    void PostBind(CycleState state, PodInfo pod, string nodeName);
}
