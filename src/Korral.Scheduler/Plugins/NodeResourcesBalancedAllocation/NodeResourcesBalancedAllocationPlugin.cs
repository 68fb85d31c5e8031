using Korral.Scheduler.Framework;
using Korral.Scheduler.Plugins.NodeResourcesFit;

namespace Korral.Scheduler.Plugins.NodeResourcesBalancedAllocation;

/// <summary>
/// Upstream's NodeResourcesBalancedAllocation: prefers nodes whose cpu and memory would be used in similar proportions
/// with the pod placed: <c>(1 - standard deviation of requested/allocatable) * 100</c>. Like upstream it counts the plain
/// requests (not the 100m/200Mi defaults NodeResourcesFit scores with), and skips pods that request nothing: balancing
/// cannot tell nodes apart for them, and scoring them would pile best-effort pods onto one node (kubernetes#129138).
/// </summary>
public sealed class NodeResourcesBalancedAllocationPlugin : IPreScorePlugin, IScorePlugin
{
    public const string PluginName = "NodeResourcesBalancedAllocation";

    private const string PreScoreStateKey = "PreScore" + PluginName;

    private readonly ResourceAllocationScorer _scorer;

    public NodeResourcesBalancedAllocationPlugin()
        : this(new NodeResourcesBalancedAllocationOptions())
    {
    }

    public NodeResourcesBalancedAllocationPlugin(NodeResourcesBalancedAllocationOptions options)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid NodeResourcesBalancedAllocation options:\n  " + string.Join("\n  ", errors), nameof(options));
        }

        _scorer = new ResourceAllocationScorer(options.Resources, useRequested: true, ResourceScorers.Balanced);
    }

    public string Name => PluginName;

    public Status PreScore(CycleState state, PodInfo pod, IReadOnlyList<NodeInfo> nodes)
    {
        var requests = _scorer.PodRequests(pod);
        if (ResourceAllocationScorer.IsBestEffort(requests))
        {
            return Status.Skip;
        }

        state.Write(PreScoreStateKey, new PreScoreState(requests));
        return Status.Success;
    }

    public (long Score, Status Status) Score(CycleState state, PodInfo pod, NodeInfo node)
    {
        var requests = state.Read<PreScoreState>(PreScoreStateKey)?.PodRequests ?? _scorer.PodRequests(pod);
        return ResourceAllocationScorer.IsBestEffort(requests) ? (0, Status.Success) : (_scorer.Score(node, requests), Status.Success);
    }

    private sealed record PreScoreState(long[] PodRequests);
}
