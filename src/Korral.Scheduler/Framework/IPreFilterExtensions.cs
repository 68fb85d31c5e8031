namespace Korral.Scheduler.Framework;

/// <summary>
/// Keeps PreFilter state right when preemption simulates removing victims (or adding nominated pods) on a node: the
/// state passed is a clone that belongs to that simulation.
/// </summary>
public interface IPreFilterExtensions
{
    Status AddPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node);

    Status RemovePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node);
}
