using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Runtime;

public sealed partial class SchedulingFramework
{
    /// <summary>
    /// Runs every PreFilter plugin. A rejection ends the run (all nodes fail with it); Skip marks the plugin's Filter as
    /// not needed; results narrow the candidate nodes (intersection).
    /// </summary>
    public (PreFilterResult? Result, Status Status) RunPreFilterPlugins(CycleState state, PodInfo pod, Snapshot snapshot) =>
        RunPreFilterPlugins(state, pod, snapshot, []);

    /// <param name="narrowedBy">Receives the names of the plugins whose results narrowed the candidates.</param>
    public (PreFilterResult? Result, Status Status) RunPreFilterPlugins(CycleState state, PodInfo pod, Snapshot snapshot, List<string> narrowedBy)
    {
        PreFilterResult? merged = null;
        foreach (var plugin in _preFilter)
        {
            var (result, status) = plugin.PreFilter(state, pod, snapshot);
            if (status.IsSkip)
            {
                state.SkipFilterPlugins.Add(plugin.Name);
                continue;
            }

            if (!status.IsSuccess)
            {
                return (null, status.WithPlugin(plugin.Name));
            }

            if (result is not null && !result.AllNodes)
            {
                merged = merged is null ? result : merged.Merge(result);
                narrowedBy.Add(plugin.Name);
                if (merged.NodeNames!.Count == 0)
                {
                    var message = narrowedBy.Count == 1
                        ? $"node(s) didn't satisfy plugin {plugin.Name}"
                        : $"node(s) didn't satisfy plugin(s) [{string.Join(" ", narrowedBy)}] simultaneously";
                    return (merged, Status.Unresolvable(message).WithPlugin(plugin.Name));
                }
            }
        }

        if (state.SkipFilterPlugins.Count > 0)
        {
            var mask = new bool[_filter.Count];
            for (var i = 0; i < mask.Length; i++)
            {
                mask[i] = state.SkipFilterPlugins.Contains(_filter[i].Name);
            }

            state.FilterSkipMask = mask;
        }

        return (merged, Status.Success);
    }

    /// <summary>Runs the Filter plugins for one node; the first that does not succeed decides.</summary>
    public Status RunFilterPlugins(CycleState state, PodInfo pod, NodeInfo node)
    {
        var skip = state.SkipFilterPlugins;
        var mask = state.FilterSkipMask;
        for (var i = 0; i < _filter.Count; i++)
        {
            var plugin = _filter[i];
            if (mask is not null ? mask[i] : skip.Count > 0 && skip.Contains(plugin.Name))
            {
                continue;
            }

            var status = plugin.Filter(state, pod, node);
            if (!status.IsSuccess)
            {
                return status.WithPlugin(plugin.Name);
            }
        }

        return Status.Success;
    }

    /// <summary>
    /// Filters as if pods nominated to this node with at least the pod's priority were already there, and also without
    /// them (upstream runs both: the nominated pods may not come, and inter-pod rules must hold either way).
    /// </summary>
    public Status RunFilterPluginsWithNominatedPods(CycleState state, PodInfo pod, NodeInfo node)
    {
        var nominated = Nominator.NominatedPodsForNode(node.Name);
        if (nominated.Count > 0)
        {
            NodeInfo? withNominated = null;
            CycleState? stateWithNominated = null;
            foreach (var other in nominated)
            {
                if (other.Uid == pod.Uid || other.Priority < pod.Priority)
                {
                    continue;
                }

                withNominated ??= node.Clone();
                stateWithNominated ??= state.Clone();
                var placed = other.WithNodeName(node.Name);
                withNominated.AddPod(placed);
                var added = RunPreFilterExtensionAddPod(stateWithNominated, pod, placed, withNominated);
                if (!added.IsSuccess)
                {
                    return added;
                }
            }

            if (withNominated is not null)
            {
                var status = RunFilterPlugins(stateWithNominated!, pod, withNominated);
                if (!status.IsSuccess)
                {
                    return status;
                }
            }
        }

        return RunFilterPlugins(state, pod, node);
    }

    public Status RunPreFilterExtensionAddPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node)
    {
        foreach (var plugin in _preFilter)
        {
            if (plugin.Extensions is { } ext && !state.SkipFilterPlugins.Contains(plugin.Name))
            {
                var status = ext.AddPod(state, podToSchedule, podToAdd, node);
                if (!status.IsSuccess)
                {
                    return status.WithPlugin(plugin.Name);
                }
            }
        }

        return Status.Success;
    }

    public Status RunPreFilterExtensionRemovePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node)
    {
        foreach (var plugin in _preFilter)
        {
            if (plugin.Extensions is { } ext && !state.SkipFilterPlugins.Contains(plugin.Name))
            {
                var status = ext.RemovePod(state, podToSchedule, podToRemove, node);
                if (!status.IsSuccess)
                {
                    return status.WithPlugin(plugin.Name);
                }
            }
        }

        return Status.Success;
    }

    /// <summary>Runs PostFilter plugins until one succeeds (nominates a node) or rejects for good.</summary>
    public async Task<(string? NominatedNodeName, Status Status)> RunPostFilterPluginsAsync(CycleState state, PodInfo pod, NodeToStatus statuses,
        CancellationToken cancellationToken)
    {
        var messages = new List<string>();
        foreach (var plugin in _postFilter)
        {
            var (nominated, status) = await plugin.PostFilterAsync(state, pod, statuses, cancellationToken).ConfigureAwait(false);
            if (status.IsSuccess)
            {
                return (nominated, status);
            }

            if (status.Code == StatusCode.UnschedulableAndUnresolvable || status.Code == StatusCode.Error)
            {
                return (null, status.WithPlugin(plugin.Name));
            }

            messages.AddRange(status.Reasons);
        }

        return (null, Status.Unschedulable([.. messages]));
    }
}
