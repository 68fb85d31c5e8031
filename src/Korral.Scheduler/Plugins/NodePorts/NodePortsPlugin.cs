using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins.NodePorts;

/// <summary>
/// Upstream's NodePorts: a pod asking for host ports fits only nodes where no pod already holds a conflicting one (same
/// protocol and port, and the same address or either one the wildcard). Preemption can free ports, so the rejection is
/// plain Unschedulable.
/// </summary>
public sealed class NodePortsPlugin : IPreFilterPlugin, IFilterPlugin, IEnqueueExtensions
{
    public const string PluginName = "NodePorts";

    public const string ErrReason = "node(s) didn't have free ports for the requested pod ports";

    private const string PreFilterStateKey = "PreFilter" + PluginName;

    private static readonly Status Rejected = Status.Unschedulable(ErrReason);

    private static readonly IReadOnlyList<ClusterEvent> Events =
    [
        new(EventResource.AssignedPod, ActionType.Delete),
        new(EventResource.Node, ActionType.Add),
    ];

    public string Name => PluginName;

    public (PreFilterResult? Result, Status Status) PreFilter(CycleState state, PodInfo pod, Snapshot snapshot)
    {
        if (pod.HostPorts.Count == 0)
        {
            return (null, Status.Skip);
        }

        state.Write(PreFilterStateKey, new PreFilterState([.. pod.HostPorts]));
        return (null, Status.Success);
    }

    public Status Filter(CycleState state, PodInfo pod, NodeInfo node)
    {
        if (state.Read<PreFilterState>(PreFilterStateKey) is not { } s)
        {
            return Status.Error($"reading \"{PreFilterStateKey}\" from cycleState: not found");
        }

        return Fits(s.Ports, node.UsedPorts) ? Status.Success : Rejected;
    }

    public IReadOnlyList<ClusterEvent> EventsToRegister() => Events;

    /// <summary>Whether none of <paramref name="wanted"/> conflicts with a port in use on the node.</summary>
    internal static bool Fits(HostPort[] wanted, List<HostPort> used)
    {
        for (var i = 0; i < wanted.Length; i++)
        {
            for (var j = 0; j < used.Count; j++)
            {
                if (wanted[i].ConflictsWith(used[j]))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private sealed record PreFilterState(HostPort[] Ports);
}
