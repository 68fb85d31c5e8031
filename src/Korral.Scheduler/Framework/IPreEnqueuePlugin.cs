namespace Korral.Scheduler.Framework;

/// <summary>Decides whether a pod may enter the active queue at all (scheduling gates). Not success: the pod waits.</summary>
public interface IPreEnqueuePlugin : IPlugin
{
    Status PreEnqueue(PodInfo pod);
}
