namespace Korral.Scheduler.Framework;

/// <summary>
/// Runs once per cycle before any Filter: computes what Filter needs into the <see cref="CycleState"/>, may narrow the
/// candidate nodes (<see cref="PreFilterResult"/>), may reject the pod for every node, or say Skip (its Filter is then not
/// run for this pod).
/// </summary>
public interface IPreFilterPlugin : IPlugin
{
    (PreFilterResult? Result, Status Status) PreFilter(CycleState state, PodInfo pod, Snapshot snapshot);

    /// <summary>How to update this plugin's state when pods are added or removed in a what-if (preemption); null if not needed.</summary>
    IPreFilterExtensions? Extensions => null;
}
