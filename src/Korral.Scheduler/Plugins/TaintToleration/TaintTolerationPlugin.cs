using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Scheduler.Framework;
using Korral.Scheduler.Plugins.Helper;

namespace Korral.Scheduler.Plugins.TaintToleration;

/// <summary>
/// Upstream's TaintToleration. Filter: a node with a NoSchedule or NoExecute taint the pod does not tolerate is rejected
/// (UnschedulableAndUnresolvable: preemption cannot remove a taint). Score: the number of PreferNoSchedule taints the pod
/// does not tolerate, normalized in reverse so the node with the fewest wins.
/// </summary>
public sealed class TaintTolerationPlugin : IFilterPlugin, IPreScorePlugin, IScorePlugin, IEnqueueExtensions
{
    public const string PluginName = "TaintToleration";

    /// <summary>
    /// Upstream's reason since kubernetes#134740 (back-ported to the supported releases): the taint's key and value are no
    /// longer shown, as they may be sensitive. Earlier releases said <c>node(s) had untolerated taint {key: value}</c>.
    /// </summary>
    public const string ErrReasonNotMatch = "node(s) had untolerated taint(s)";

    private const string PreScoreStateKey = "PreScore" + PluginName;

    private static readonly Status Rejected = Status.Unresolvable(ErrReasonNotMatch);

    private static readonly IReadOnlyList<ClusterEvent> Events =
    [
        new(EventResource.Node, ActionType.Add | ActionType.UpdateNodeTaint),
        new(EventResource.UnscheduledPod, ActionType.UpdatePodTolerations),
    ];

    public string Name => PluginName;

    public Status Filter(CycleState state, PodInfo pod, NodeInfo node) =>
        TolerationMatching.FirstUntoleratedHardTaint(node.Taints, pod.Tolerations) is null ? Status.Success : Rejected;

    public Status PreScore(CycleState state, PodInfo pod, IReadOnlyList<NodeInfo> nodes)
    {
        // Only tolerations that can tolerate a PreferNoSchedule taint matter to the score; an empty effect means all effects.
        var preferNoSchedule = new List<Toleration>();
        for (var i = 0; i < pod.Tolerations.Count; i++)
        {
            var t = pod.Tolerations[i];
            if (string.IsNullOrEmpty(t.Effect) || t.Effect == TaintEffects.PreferNoSchedule)
            {
                preferNoSchedule.Add(t);
            }
        }

        state.Write(PreScoreStateKey, new PreScoreState([.. preferNoSchedule]));
        return Status.Success;
    }

    public (long Score, Status Status) Score(CycleState state, PodInfo pod, NodeInfo node)
    {
        if (state.Read<PreScoreState>(PreScoreStateKey) is not { } s)
        {
            return (0, Status.Error($"failed to read \"{PreScoreStateKey}\" from cycleState: not found"));
        }

        long intolerable = 0;
        var taints = node.Taints;
        for (var i = 0; i < taints.Count; i++)
        {
            if (taints[i].Effect == TaintEffects.PreferNoSchedule && !TolerationMatching.AnyTolerates(s.Tolerations, taints[i]))
            {
                intolerable++;
            }
        }

        return (intolerable, Status.Success);
    }

    public Status NormalizeScore(CycleState state, PodInfo pod, Span<NodeScore> scores)
    {
        ScoreNormalizer.DefaultNormalizeScore(IScorePlugin.MaxNodeScore, reverse: true, scores);
        return Status.Success;
    }

    public IReadOnlyList<ClusterEvent> EventsToRegister() => Events;

    private sealed record PreScoreState(Toleration[] Tolerations);
}
