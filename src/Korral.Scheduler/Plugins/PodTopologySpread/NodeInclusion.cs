using Korral.Api.Models;
using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins.PodTopologySpread;

/// <summary>
/// Whether a node counts as a domain for a constraint under its inclusion policies (nodeAffinityPolicy,
/// nodeTaintsPolicy). Each check runs at most once per node, however many constraints ask.
/// </summary>
internal struct NodeInclusion(PodInfo pod, NodeInfo node, RequiredNodeAffinity affinity)
{
    private bool? _affinityMatches;
    private bool? _taintsTolerated;

    public bool Includes(SpreadConstraint constraint)
    {
        if (constraint.HonorNodeAffinity && !(_affinityMatches ??= affinity.Matches(node)))
        {
            return false;
        }

        return !constraint.HonorNodeTaints || (_taintsTolerated ??= TolerationMatching.FirstUntoleratedHardTaint(node.Taints, pod.Tolerations) is null);
    }
}
