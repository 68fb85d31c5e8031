namespace Korral.Scheduler.Framework;

/// <summary>Cycle state that PreFilter extensions (AddPod/RemovePod) change during preemption, so it must clone.</summary>
public interface IStateData
{
    IStateData Clone();
}
