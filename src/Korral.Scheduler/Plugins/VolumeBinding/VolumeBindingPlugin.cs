using Korral.Api.Models.CoreV1;
using Korral.Api.Models.StorageV1;
using Korral.Client.Informers;
using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins.VolumeBinding;

/// <summary>
/// Upstream's VolumeBinding plugin: a pod's PersistentVolumeClaims must be usable on the node. PreFilter rejects pods
/// whose claims are missing, being deleted, or unbound with Immediate binding; Filter checks bound volumes' node
/// affinity and finds, per node, an existing volume or dynamic provisioning for each WaitForFirstConsumer claim; Reserve
/// assumes the node's choice so the next pod does not take the same volume; PreBind writes it and waits until the
/// claims are bound. No Score (upstream's capacity scoring is off by default).
/// </summary>
public sealed class VolumeBindingPlugin : IPreFilterPlugin, IFilterPlugin, IReservePlugin, IPreBindPlugin, IEnqueueExtensions
{
    public const string PluginName = "VolumeBinding";

    private const string StateKey = PluginName;

    private readonly VolumeBinder _binder;
    private readonly Action<string> _log;

    public VolumeBindingPlugin(IFrameworkHandle handle)
        : this(handle, VolumeBindingArgs.Default)
    {
    }

    public VolumeBindingPlugin(IFrameworkHandle handle, VolumeBindingArgs args)
        : this(SourcesOf(handle.Informers), new KubeVolumeBindingApi(handle.Client), handle.Time, handle.Log, args)
    {
        // PreBind waits for the informers to show the claims bound; every volume or claim event re-checks.
        var changes = _binder.Changes;
        handle.Informers.Informer<PersistentVolume>().AddEventHandler(_ => changes.Pulse(), (_, _) => changes.Pulse(), _ => changes.Pulse());
        handle.Informers.Informer<PersistentVolumeClaim>().AddEventHandler(_ => changes.Pulse(), (_, _) => changes.Pulse(), _ => changes.Pulse());
    }

    internal VolumeBindingPlugin(VolumeBindingSources sources, IVolumeBindingApi api, TimeProvider time, Action<string> log, VolumeBindingArgs args)
    {
        _binder = new VolumeBinder(sources, api, time, log, args);
        _log = log;
    }

    public string Name => PluginName;

    /// <summary>For tests: the binder, whose change signal stands in for informer events.</summary>
    internal VolumeBinder Binder => _binder;

    public IReadOnlyList<ClusterEvent> EventsToRegister() =>
    [
        // A missing or misconfigured class (allowedTopologies, binding mode) may be fixed.
        new(EventResource.StorageClass, ActionType.Add | ActionType.Update),

        // Claims and volumes being created, bound or provisioned.
        new(EventResource.PersistentVolumeClaim, ActionType.Add | ActionType.Update),
        new(EventResource.PersistentVolume, ActionType.Add | ActionType.Update),

        // Labels decide volume node affinity and allowed topologies. Taint updates are registered too, as upstream does
        // without queueing hints (a node added while filtered out by the queue's pre-check arrives as a taint update).
        new(EventResource.Node, ActionType.Add | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint),
    ];

    public (PreFilterResult? Result, Status Status) PreFilter(CycleState state, PodInfo pod, Snapshot snapshot)
    {
        var hasClaims = _binder.HasClaims(pod.Pod, out var problem);
        if (problem is not null)
        {
            return (null, Status.Unresolvable(problem));
        }

        if (!hasClaims)
        {
            // Reserve and PreBind still run for this pod; they find nothing to do.
            state.Write(StateKey, new VolumeBindingState(PodVolumeClaims.None));
            return (null, Status.Skip);
        }

        PodVolumeClaims claims;
        bool hasUnboundImmediate;
        try
        {
            claims = _binder.GetPodVolumeClaims(pod.Pod, out hasUnboundImmediate);
        }
        catch (VolumeBindingException e)
        {
            return (null, Status.Error(e.Message));
        }

        // The PV controller binds these; the pod comes back when a claim or volume changes.
        if (hasUnboundImmediate)
        {
            return (null, Status.Unresolvable(VolumeBindingReasons.UnboundImmediate));
        }

        state.Write(StateKey, new VolumeBindingState(claims));
        return (null, Status.Success);
    }

    public Status Filter(CycleState state, PodInfo pod, NodeInfo node)
    {
        if (state.Read<VolumeBindingState>(StateKey) is not { } data)
        {
            return MissingState();
        }

        if (node.Node is not { } n)
        {
            return Status.Error("node not found");
        }

        try
        {
            var (volumes, reasons) = _binder.FindPodVolumes(data.Claims, n);
            if (reasons.Count > 0)
            {
                return Status.Unresolvable([.. reasons]);
            }

            data.ByNode[node.Name] = volumes;
            return Status.Success;
        }
        catch (VolumeBindingException e)
        {
            return Status.Error(e.Message);
        }
    }

    public Status Reserve(CycleState state, PodInfo pod, string nodeName)
    {
        if (state.Read<VolumeBindingState>(StateKey) is not { } data)
        {
            return MissingState();
        }

        if (!data.ByNode.TryGetValue(nodeName, out var volumes))
        {
            // The pod has no claims.
            data.AllBound = true;
            return Status.Success;
        }

        try
        {
            data.AllBound = _binder.AssumePodVolumes(pod.Pod, nodeName, volumes);
            return Status.Success;
        }
        catch (VolumeBindingException e)
        {
            return Status.Error(e.Message);
        }
    }

    public void Unreserve(CycleState state, PodInfo pod, string nodeName)
    {
        if (state.Read<VolumeBindingState>(StateKey) is { } data && data.ByNode.TryGetValue(nodeName, out var volumes))
        {
            _binder.RevertAssumedPodVolumes(volumes);
        }
    }

    public async Task<Status> PreBindAsync(CycleState state, PodInfo pod, string nodeName, CancellationToken cancellationToken)
    {
        if (state.Read<VolumeBindingState>(StateKey) is not { } data)
        {
            return MissingState();
        }

        if (data.AllBound)
        {
            return Status.Success;
        }

        if (!data.ByNode.TryGetValue(nodeName, out var volumes))
        {
            return Status.Error($"no pod volumes found for node \"{nodeName}\"");
        }

        var error = await _binder.BindPodVolumesAsync(pod, nodeName, volumes, cancellationToken);
        if (error is not null)
        {
            _log($"VolumeBinding: failed to bind volumes of pod {pod.Key} on node {nodeName}: {error}");
            return Status.Error(error);
        }

        return Status.Success;
    }

    private static Status MissingState() => Status.Error($"reading \"{StateKey}\" from cycleState: not found");

    private static VolumeBindingSources SourcesOf(SharedInformerFactory informers) => new(
        informers.Informer<PersistentVolumeClaim>().Indexer,
        informers.Informer<PersistentVolume>().Indexer,
        informers.Informer<StorageClass>().Indexer,
        informers.Informer<Node>().Indexer);
}
