using Korral.Api.Models.CoreV1;
using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins.PodTopologySpread;

/// <summary>
/// Upstream's PodTopologySpread: hard constraints (whenUnsatisfiable DoNotSchedule) in PreFilter/Filter, soft ones
/// (ScheduleAnyway) in PreScore/Score. A pod without constraints gets the cluster defaults (upstream's system defaults
/// unless configured), with the selector of the services and controller that select it.
/// </summary>
public sealed partial class PodTopologySpreadPlugin : IPreFilterPlugin, IPreFilterExtensions, IFilterPlugin, IPreScorePlugin, IScorePlugin, IEnqueueExtensions
{
    public const string PluginName = "PodTopologySpread";

    private readonly Func<Snapshot> _snapshot;
    private readonly IReadOnlyList<TopologySpreadConstraint> _defaultConstraints;
    private readonly bool _systemDefaulted;
    private readonly SpreadListers? _listers;

    /// <param name="snapshot">The snapshot of the cycle in progress (PreScore counts pods on all nodes, not only feasible ones).</param>
    /// <param name="listers">Where default constraints take their selector from; without them pods get no default constraints.</param>
    public PodTopologySpreadPlugin(Func<Snapshot> snapshot, PodTopologySpreadArgs? args = null, SpreadListers? listers = null)
    {
        args ??= new PodTopologySpreadArgs();
        _snapshot = snapshot;
        _systemDefaulted = args.SystemDefaulting;
        _defaultConstraints = args.SystemDefaulting ? PodTopologySpreadArgs.SystemDefaultConstraints : args.DefaultConstraints;
        _listers = listers;
    }

    public string Name => PluginName;

    public IPreFilterExtensions? Extensions => this;

    public static IPlugin New(IFrameworkHandle handle)
    {
        var args = new PodTopologySpreadArgs();
        return new PodTopologySpreadPlugin(() => handle.Snapshot, args, SpreadListers.From(handle.Informers));
    }

    /// <summary>
    /// Assigned pods coming, going or relabelled change the counts; the pod itself gaining a toleration matters with
    /// nodeTaintsPolicy Honor; nodes added, removed, relabelled or retainted change the domains.
    /// </summary>
    public IReadOnlyList<ClusterEvent> EventsToRegister() =>
    [
        new(EventResource.AssignedPod, ActionType.Add | ActionType.UpdatePodLabel | ActionType.Delete),
        new(EventResource.UnscheduledPod, ActionType.UpdatePodTolerations),
        new(EventResource.Node, ActionType.Add | ActionType.Delete | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint),
    ];
}
