namespace Korral.Scheduler.Framework;

/// <summary>Runs once before Score with the nodes that passed Filter; Skip means its Score is not run.</summary>
public interface IPreScorePlugin : IPlugin
{
    Status PreScore(CycleState state, PodInfo pod, IReadOnlyList<NodeInfo> nodes);
}
