using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins.NodeResourcesFit;

/// <summary>
/// Upstream's NodeResourcesFit. Filter: the node must have a free pod slot and room for the pod's requests (cpu,
/// memory, ephemeral storage, extended resources) next to what its pods already request; every shortage is reported,
/// in upstream's order. The code is Unschedulable (preemption may make room) unless a request exceeds the node's whole
/// allocatable, which no preemption can fix (UnschedulableAndUnresolvable, as upstream since 1.31). Score: the
/// configured strategy over the configured resources.
/// </summary>
public sealed partial class NodeResourcesFitPlugin : IPreFilterPlugin, IFilterPlugin, IPreScorePlugin, IScorePlugin, IEnqueueExtensions
{
    public const string PluginName = "NodeResourcesFit";

    private const string PreFilterStateKey = "PreFilter" + PluginName;
    private const string PreScoreStateKey = "PreScore" + PluginName;

    private static readonly IReadOnlyList<ClusterEvent> Events =
    [
        // Room appears when a bound pod goes or shrinks (in-place resize), when the pod itself shrinks, or when a node
        // comes or grows.
        new(EventResource.AssignedPod, ActionType.Delete | ActionType.UpdatePodScaleDown),
        new(EventResource.UnscheduledPod, ActionType.UpdatePodScaleDown),
        new(EventResource.Node, ActionType.Add | ActionType.UpdateNodeAllocatable),
    ];

    private readonly ResourceAllocationScorer _scorer;
    private readonly HashSet<string> _ignoredResources;
    private readonly HashSet<string> _ignoredResourceGroups;

    public NodeResourcesFitPlugin()
        : this(new NodeResourcesFitOptions())
    {
    }

    public NodeResourcesFitPlugin(NodeResourcesFitOptions options)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid NodeResourcesFit options:\n  " + string.Join("\n  ", errors), nameof(options));
        }

        ResourceScoreFunction score = options.ScoringStrategy switch
        {
            ScoringStrategyType.MostAllocated => ResourceScorers.MostAllocated,
            ScoringStrategyType.RequestedToCapacityRatio => ResourceScorers.RequestedToCapacityRatio(options.Shape),
            _ => ResourceScorers.LeastAllocated,
        };
        _scorer = new ResourceAllocationScorer(options.Resources, useRequested: false, score);
        _ignoredResources = new HashSet<string>(options.IgnoredResources, StringComparer.Ordinal);
        _ignoredResourceGroups = new HashSet<string>(options.IgnoredResourceGroups, StringComparer.Ordinal);
    }

    public string Name => PluginName;

    public (PreFilterResult? Result, Status Status) PreFilter(CycleState state, PodInfo pod, Snapshot snapshot)
    {
        state.Write(PreFilterStateKey, PreFilterState.For(pod, this));
        return (null, Status.Success);
    }

    public Status Filter(CycleState state, PodInfo pod, NodeInfo node)
    {
        if (state.Read<PreFilterState>(PreFilterStateKey) is not { } s)
        {
            return Status.Error($"error reading \"{PreFilterStateKey}\" from cycleState: not found");
        }

        return Fits(s, node);
    }

    public Status PreScore(CycleState state, PodInfo pod, IReadOnlyList<NodeInfo> nodes)
    {
        state.Write(PreScoreStateKey, new PreScoreState(_scorer.PodRequests(pod)));
        return Status.Success;
    }

    public (long Score, Status Status) Score(CycleState state, PodInfo pod, NodeInfo node)
    {
        var requests = state.Read<PreScoreState>(PreScoreStateKey)?.PodRequests ?? _scorer.PodRequests(pod);
        return (_scorer.Score(node, requests), Status.Success);
    }

    public IReadOnlyList<ClusterEvent> EventsToRegister() => Events;

    /// <summary>Whether an extended resource is excluded from Filter by name or by its group (the part before <c>/</c>).</summary>
    private bool IsIgnored(string name)
    {
        if (!IsExtendedResourceName(name))
        {
            return false;
        }

        if (_ignoredResources.Contains(name))
        {
            return true;
        }

        var slash = name.IndexOf('/', StringComparison.Ordinal);
        return _ignoredResourceGroups.Count > 0 && slash > 0 && _ignoredResourceGroups.Contains(name[..slash]);
    }

    /// <summary>
    /// Upstream's IsExtendedResourceName, minus the qualified-name check the API server already made: a name with a
    /// domain outside <c>kubernetes.io</c> and not a quota <c>requests.</c> name.
    /// </summary>
    private static bool IsExtendedResourceName(string name) =>
        name.Contains('/', StringComparison.Ordinal)
        && !name.Contains("kubernetes.io/", StringComparison.Ordinal)
        && !name.StartsWith("requests.", StringComparison.Ordinal);

    private sealed record PreScoreState(long[] PodRequests);
}
