using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins.DefaultPreemption;

/// <summary>
/// Upstream's SelectVictimsOnNode on a what-if copy of one node: take every lower-priority pod off, check the preemptor
/// fits, then put pods back one by one — budget-protected ones first, most important first within each group — keeping
/// each that still leaves room. What could not be put back are the victims.
/// </summary>
internal static class VictimSelection
{
    public const string NoVictimsMessage = "No preemption victims found for incoming pod";

    /// <summary>
    /// The victims on <paramref name="node"/> (a clone this call may change) with <paramref name="state"/> (a clone too),
    /// from the most to the least important, and how many of them break a budget. Not success: the node is no candidate.
    /// </summary>
    public static (List<PodInfo> Victims, int NumPdbViolations, Status Status) Select(
        IFrameworkHandle handle, CycleState state, PodInfo pod, NodeInfo node, DisruptionBudgets budgets, PodImportance importance)
    {
        var potential = new List<PodInfo>();
        foreach (var p in node.Pods)
        {
            if (p.Priority < pod.Priority)
            {
                potential.Add(p);
            }
        }

        if (potential.Count == 0)
        {
            return ([], 0, Status.Unresolvable(NoVictimsMessage));
        }

        foreach (var p in potential)
        {
            if (Remove(handle, state, pod, p, node) is { } error)
            {
                return ([], 0, error);
            }
        }

        // Not fitting with every lower-priority pod gone ends it. A preemptor with affinity to some of those pods could
        // fit with them back, but upstream does not search for that (such affinity is not a recommended setup).
        var fits = handle.RunFilterPluginsWithNominatedPods(state, pod, node);
        if (!fits.IsSuccess)
        {
            return ([], 0, fits);
        }

        var (violating, nonViolating) = budgets.Split(importance.Sort(potential));
        var victims = new List<PodInfo>();
        var numViolations = 0;
        foreach (var p in violating)
        {
            var (reprieved, error) = Reprieve(handle, state, pod, p, node, victims);
            if (error is not null)
            {
                return ([], 0, error);
            }

            numViolations += reprieved ? 0 : 1;
        }

        foreach (var p in nonViolating)
        {
            if (Reprieve(handle, state, pod, p, node, victims).Error is { } error)
            {
                return ([], 0, error);
            }
        }

        // Each group was walked in importance order; only a mix of both needs sorting again.
        if (violating.Count > 0 && nonViolating.Count > 0)
        {
            victims = importance.Sort(victims);
        }

        return (victims, numViolations, Status.Success);
    }

    /// <summary>Puts <paramref name="victim"/> back; if the preemptor then no longer fits, takes it off again and records it.</summary>
    private static (bool Reprieved, Status? Error) Reprieve(
        IFrameworkHandle handle, CycleState state, PodInfo pod, PodInfo victim, NodeInfo node, List<PodInfo> victims)
    {
        node.AddPod(victim);
        var added = handle.RunPreFilterExtensionAddPod(state, pod, victim, node);
        if (!added.IsSuccess)
        {
            return (false, Status.Error(added.Message));
        }

        if (handle.RunFilterPluginsWithNominatedPods(state, pod, node).IsSuccess)
        {
            return (true, null);
        }

        if (Remove(handle, state, pod, victim, node) is { } error)
        {
            return (false, error);
        }

        victims.Add(victim);
        return (false, null);
    }

    private static Status? Remove(IFrameworkHandle handle, CycleState state, PodInfo pod, PodInfo victim, NodeInfo node)
    {
        if (!node.RemovePod(victim))
        {
            return Status.Error($"no corresponding pod {victim.Key} in pods of node {node.Name}");
        }

        var removed = handle.RunPreFilterExtensionRemovePod(state, pod, victim, node);
        return removed.IsSuccess ? null : Status.Error(removed.Message);
    }
}
