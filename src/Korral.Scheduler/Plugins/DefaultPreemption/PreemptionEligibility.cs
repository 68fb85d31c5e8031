using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins.DefaultPreemption;

/// <summary>
/// Upstream's PodEligibleToPreemptOthers: a pod may not preempt when its preemptionPolicy is Never, or while victims of
/// its earlier preemption are still terminating on the node it was nominated to (it waits for them instead of evicting
/// more). A nominated node the filters now call unresolvable does not hold it back.
/// </summary>
internal static class PreemptionEligibility
{
    public const string PreemptNever = "Never";
    public const string DisruptionTarget = "DisruptionTarget";
    public const string PreemptionByScheduler = "PreemptionByScheduler";

    /// <summary>Null when eligible, otherwise upstream's reason.</summary>
    public static string? Check(PodInfo pod, NodeToStatus filteredNodes, Snapshot snapshot)
    {
        if (pod.Pod.Spec?.PreemptionPolicy == PreemptNever)
        {
            return "not eligible due to preemptionPolicy=Never.";
        }

        var nominated = pod.Pod.Status?.NominatedNodeName;
        if (string.IsNullOrEmpty(nominated) || filteredNodes.Get(nominated).Code == StatusCode.UnschedulableAndUnresolvable)
        {
            return null;
        }

        var node = snapshot.Get(nominated);
        if (node is not null && node.Pods.Any(p => p.Priority < pod.Priority && TerminatingByPreemption(p)))
        {
            return "not eligible due to a terminating pod on the nominated node.";
        }

        return null;
    }

    /// <summary>Being deleted because the scheduler preempted it: a deletion timestamp and a true DisruptionTarget condition from preemption.</summary>
    public static bool TerminatingByPreemption(PodInfo pod)
    {
        if (pod.Pod.Metadata?.DeletionTimestamp is null)
        {
            return false;
        }

        var condition = pod.Pod.Status?.Conditions?.FirstOrDefault(c => c.Type == DisruptionTarget);
        return condition is { Status: "True", Reason: PreemptionByScheduler };
    }
}
