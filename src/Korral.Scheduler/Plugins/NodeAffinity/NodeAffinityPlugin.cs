using Korral.Scheduler.Framework;
using Korral.Scheduler.Plugins.Helper;

namespace Korral.Scheduler.Plugins.NodeAffinity;

/// <summary>
/// Upstream's NodeAffinity. Filter: the node must match <c>spec.nodeSelector</c> and one of the required node affinity
/// terms (UnschedulableAndUnresolvable otherwise). PreFilter compiles both once per cycle, says Skip for pods with
/// neither, and narrows the candidates to named nodes when every term pins <c>metadata.name</c>. Score: the sum of the
/// weights of the preferred terms the node matches, normalized so the best node gets 100.
/// </summary>
public sealed class NodeAffinityPlugin : IPreFilterPlugin, IFilterPlugin, IPreScorePlugin, IScorePlugin, IEnqueueExtensions
{
    public const string PluginName = "NodeAffinity";

    public const string ErrReasonPod = "node(s) didn't match Pod's node affinity/selector";

    /// <summary>Every required term pins <c>metadata.name</c>, but to no common node.</summary>
    public const string ErrReasonConflict = "pod affinity terms conflict";

    private const string PreFilterStateKey = "PreFilter" + PluginName;
    private const string PreScoreStateKey = "PreScore" + PluginName;

    private static readonly Status Rejected = Status.Unresolvable(ErrReasonPod);

    private static readonly IReadOnlyList<ClusterEvent> Events =
    [
        new(EventResource.Node, ActionType.Add | ActionType.UpdateNodeLabel),
    ];

    public string Name => PluginName;

    public (PreFilterResult? Result, Status Status) PreFilter(CycleState state, PodInfo pod, Snapshot snapshot)
    {
        var spec = pod.Pod.Spec;
        var required = spec?.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution;
        if (required is null && spec?.NodeSelector is null)
        {
            return (null, Status.Skip);
        }

        state.Write(PreFilterStateKey, RequiredNodeAffinity.For(pod.Pod));
        if (required?.NodeSelectorTerms is not { Count: > 0 } terms)
        {
            return (null, Status.Success);
        }

        // Terms are ORed and each term's requirements ANDed: the candidates are the union over terms of the
        // intersection of the names each term's "metadata.name In" requirements allow. One term without such a
        // requirement leaves every node possible.
        HashSet<string>? names = null;
        foreach (var term in terms)
        {
            HashSet<string>? termNames = null;
            foreach (var r in term.MatchFields ?? [])
            {
                if (r.Key == NodeSelectorTermMatcher.NameField && r.Operator == "In")
                {
                    var allowed = new HashSet<string>(r.Values ?? [], StringComparer.Ordinal);
                    if (termNames is null)
                    {
                        termNames = allowed;
                    }
                    else
                    {
                        termNames.IntersectWith(allowed);
                    }
                }
            }

            if (termNames is null)
            {
                return (null, Status.Success);
            }

            names ??= new HashSet<string>(StringComparer.Ordinal);
            names.UnionWith(termNames);
        }

        if (names is { Count: 0 })
        {
            return (null, Status.Unresolvable(ErrReasonConflict));
        }

        return (names is null ? null : new PreFilterResult(names), Status.Success);
    }

    public Status Filter(CycleState state, PodInfo pod, NodeInfo node)
    {
        // Without PreFilter state (PreFilter disabled in a profile) compile here, as upstream falls back to.
        var required = state.Read<RequiredNodeAffinity>(PreFilterStateKey) ?? RequiredNodeAffinity.For(pod.Pod);
        return required.Matches(node) ? Status.Success : Rejected;
    }

    public Status PreScore(CycleState state, PodInfo pod, IReadOnlyList<NodeInfo> nodes)
    {
        if (!TryPreferred(pod, out var preferred, out var error))
        {
            return Status.Error(error!);
        }

        if (preferred is null)
        {
            return Status.Skip;
        }

        state.Write(PreScoreStateKey, preferred);
        return Status.Success;
    }

    public (long Score, Status Status) Score(CycleState state, PodInfo pod, NodeInfo node)
    {
        var preferred = state.Read<PreferredSchedulingTermsMatcher>(PreScoreStateKey);
        if (preferred is null && !TryPreferred(pod, out preferred, out var error))
        {
            return (0, Status.Error(error!));
        }

        return (preferred?.Score(node) ?? 0, Status.Success);
    }

    public Status NormalizeScore(CycleState state, PodInfo pod, Span<NodeScore> scores)
    {
        ScoreNormalizer.DefaultNormalizeScore(IScorePlugin.MaxNodeScore, reverse: false, scores);
        return Status.Success;
    }

    public IReadOnlyList<ClusterEvent> EventsToRegister() => Events;

    /// <summary>The pod's compiled preferred terms; null (and true) when it has none.</summary>
    private static bool TryPreferred(PodInfo pod, out PreferredSchedulingTermsMatcher? preferred, out string? error)
    {
        preferred = null;
        error = null;
        var terms = pod.Pod.Spec?.Affinity?.NodeAffinity?.PreferredDuringSchedulingIgnoredDuringExecution;
        return terms is null || PreferredSchedulingTermsMatcher.TryCompile(terms, out preferred, out error);
    }
}
