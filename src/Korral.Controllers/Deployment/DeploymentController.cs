using Korral.Api.Models.CoreV1;
using Korral.Client;
using Korral.Client.Events;
using Korral.Client.Informers;
using Korral.Client.Queues;
using Korral.Controllers.Common;
using Korral.Controllers.Manager;
using D = Korral.Api.Models.AppsV1.Deployment;
using RS = Korral.Api.Models.AppsV1.ReplicaSet;
using Selector = Korral.Api.Selectors.LabelSelector;

namespace Korral.Controllers.Deployments;

/// <summary>
/// Rolls Deployments out through ReplicaSets: one new ReplicaSet per pod template (named after the template's hash),
/// old ones scaled down as the strategy allows (RollingUpdate with maxSurge/maxUnavailable, or Recreate), revisions
/// recorded in annotations, history trimmed to revisionHistoryLimit, progress reported in conditions. Event handlers
/// enqueue Deployment keys; the worker reads the caches and writes through <see cref="IDeploymentWriter"/>.
/// </summary>
public sealed partial class DeploymentController : IController
{
    private readonly Lister<D> _deployments;
    private readonly Lister<RS> _replicaSets;
    private readonly Indexer<Pod> _pods;
    private readonly IDeploymentWriter _writer;
    private readonly IEventRecorder _events;
    private readonly TimeProvider _time;
    private readonly Action<string> _log;

    public DeploymentController(ControllerContext context)
        : this(
            context.Informers.Informer<D>().Lister,
            context.Informers.Informer<RS>().Lister,
            context.Informers.Informer<Pod>().Indexer,
            new ApiDeploymentWriter(context.Client),
            context.Events,
            context.Time,
            context.Log)
    {
        context.Informers.Informer<D>().AddEventHandler(onAdd: Enqueue, onUpdate: (_, d) => Enqueue(d), onDelete: Enqueue);
        context.Informers.Informer<RS>().AddEventHandler(onAdd: OnReplicaSetAdd, onUpdate: OnReplicaSetUpdate, onDelete: OnReplicaSetDelete);
        context.Informers.Informer<Pod>().AddEventHandler(onDelete: OnPodDelete);
    }

    public DeploymentController(Lister<D> deployments, Lister<RS> replicaSets, Indexer<Pod> pods, IDeploymentWriter writer, IEventRecorder events,
        TimeProvider time, Action<string> log)
    {
        _deployments = deployments;
        _replicaSets = replicaSets;
        _pods = ReplicaSets.ReplicaSetController.WithOwnerIndex(pods);
        _writer = writer;
        _events = events;
        _time = time;
        _log = log;
        Queue = new RateLimitingQueue<string>(RateLimiters.DefaultController<string>(time), time);
    }

    public string Name => "deployment";

    public RateLimitingQueue<string> Queue { get; }

    public Task RunAsync(int workers, CancellationToken cancellationToken) =>
        QueueWorkers.RunAsync(Queue, workers, SyncAsync, _log, cancellationToken);

    private void Enqueue(D d) => Queue.Add(KubeObject.Key(d));

    private void OnReplicaSetAdd(RS rs)
    {
        if (OwnerRefs.ControllerOf(rs.Metadata) is { } owner)
        {
            if (Resolve(rs.Metadata?.Namespace, owner) is { } d)
            {
                Enqueue(d);
            }

            return;
        }

        foreach (var d in DeploymentsMatching(rs))
        {
            Enqueue(d);
        }
    }

    private void OnReplicaSetUpdate(RS old, RS cur)
    {
        if (old.Metadata?.ResourceVersion == cur.Metadata?.ResourceVersion)
        {
            return;
        }

        var oldRef = OwnerRefs.ControllerOf(old.Metadata);
        var curRef = OwnerRefs.ControllerOf(cur.Metadata);
        if (oldRef is not null && oldRef.Uid != curRef?.Uid && Resolve(old.Metadata?.Namespace, oldRef) is { } oldD)
        {
            Enqueue(oldD);
        }

        if (curRef is not null)
        {
            if (Resolve(cur.Metadata?.Namespace, curRef) is { } d)
            {
                Enqueue(d);
            }

            return;
        }

        foreach (var d in DeploymentsMatching(cur))
        {
            Enqueue(d);
        }
    }

    private void OnReplicaSetDelete(RS rs)
    {
        if (OwnerRefs.ControllerOf(rs.Metadata) is { } owner && Resolve(rs.Metadata?.Namespace, owner) is { } d)
        {
            Enqueue(d);
        }
    }

    // Recreate waits until the old pods are gone.
    private void OnPodDelete(Pod pod)
    {
        if (OwnerRefs.ControllerOf(pod.Metadata) is { Kind: "ReplicaSet", Name: { } rsName } rsRef
            && _replicaSets.Get(pod.Metadata?.Namespace, rsName) is { } rs && rs.Metadata?.Uid == rsRef.Uid
            && OwnerRefs.ControllerOf(rs.Metadata) is { } owner && Resolve(rs.Metadata?.Namespace, owner) is { } d
            && d.Spec?.Strategy?.Type == "Recreate")
        {
            Enqueue(d);
        }
    }

    private D? Resolve(string? ns, Api.Models.MetaV1.OwnerReference owner)
    {
        if (owner.Kind != D.KubeKind || owner.Name is null)
        {
            return null;
        }

        var d = _deployments.Get(ns, owner.Name);
        return d?.Metadata?.Uid == owner.Uid ? d : null;
    }

    private IEnumerable<D> DeploymentsMatching(RS rs)
    {
        var labels = rs.Metadata?.Labels;
        if (labels is null || labels.Count == 0)
        {
            yield break;
        }

        foreach (var d in _deployments.List(rs.Metadata?.Namespace ?? ""))
        {
            if (Selector.TryFromLabelSelector(d.Spec?.Selector, out var selector, out _) && !selector.Empty && selector.Matches(labels.AsReadOnly()))
            {
                yield return d;
            }
        }
    }
}
