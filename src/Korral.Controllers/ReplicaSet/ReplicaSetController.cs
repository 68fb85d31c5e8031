using RS = Korral.Api.Models.AppsV1.ReplicaSet;
using Korral.Api.Models.CoreV1;
using Korral.Client;
using Korral.Client.Events;
using Korral.Client.Informers;
using Korral.Client.Queues;
using Korral.Controllers.Common;
using Korral.Controllers.Manager;
using Selector = Korral.Api.Selectors.LabelSelector;

namespace Korral.Controllers.ReplicaSets;

/// <summary>
/// Keeps <c>spec.replicas</c> pods running for every ReplicaSet (style.md habit 3): event handlers enqueue keys, the
/// worker reads the caches, claims pods (adopting orphans, releasing pods that stopped matching), creates in slow-start
/// batches or deletes the lowest-ranked pods, and writes status. Expectations keep a stale cache from causing a second
/// round of creates or deletes.
/// </summary>
public sealed partial class ReplicaSetController : IController
{
    /// <summary>At most this many creates or deletes per sync (upstream's burstReplicas).</summary>
    public const int BurstReplicas = 500;

    private readonly Lister<RS> _replicaSets;
    private readonly Indexer<Pod> _pods;
    private readonly IPodControl _podControl;
    private readonly Func<RS, CancellationToken, Task> _updateStatus;
    private readonly Func<string, string, CancellationToken, Task<RS?>> _getFresh;
    private readonly IEventRecorder _events;
    private readonly TimeProvider _time;
    private readonly Action<string> _log;

    /// <summary>Built by the manager: shared informers, the API client, the event recorder.</summary>
    public ReplicaSetController(ControllerContext context)
        : this(
            context.Informers.Informer<RS>().Lister,
            WithOwnerIndex(context.Informers.Informer<Pod>().Indexer),
            new ApiPodControl(context.Client),
            (rs, ct) => context.Client.Resource<RS>().UpdateStatusAsync(rs, ct),
            (ns, name, ct) => context.Client.Resource<RS>().TryGetAsync(ns, name, ct),
            context.Events,
            context.Time,
            context.Log)
    {
        context.Informers.Informer<RS>().AddEventHandler(
            onAdd: rs => Enqueue(rs),
            onUpdate: (_, rs) => Enqueue(rs),
            onDelete: rs => { Expectations.Delete(KubeObject.Key(rs)); Enqueue(rs); });
        context.Informers.Informer<Pod>().AddEventHandler(onAdd: OnPodAdd, onUpdate: OnPodUpdate, onDelete: OnPodDelete);
    }

    /// <summary>From explicit parts (tests seed the caches and fake the writes).</summary>
    public ReplicaSetController(
        Lister<RS> replicaSets,
        Indexer<Pod> pods,
        IPodControl podControl,
        Func<RS, CancellationToken, Task> updateStatus,
        Func<string, string, CancellationToken, Task<RS?>> getFresh,
        IEventRecorder events,
        TimeProvider time,
        Action<string> log)
    {
        _replicaSets = replicaSets;
        _pods = WithOwnerIndex(pods);
        _podControl = podControl;
        _updateStatus = updateStatus;
        _getFresh = getFresh;
        _events = events;
        _time = time;
        _log = log;
        Expectations = new ControllerExpectations(time);
        Queue = new RateLimitingQueue<string>(RateLimiters.DefaultController<string>(time), time);
    }

    public string Name => "replicaset";

    public ControllerExpectations Expectations { get; }

    public RateLimitingQueue<string> Queue { get; }

    public Task RunAsync(int workers, CancellationToken cancellationToken) =>
        QueueWorkers.RunAsync(Queue, workers, SyncAsync, _log, cancellationToken);

    internal static Indexer<Pod> WithOwnerIndex(Indexer<Pod> pods)
    {
        if (!pods.HasIndex(Indexers.OwnerUid))
        {
            try
            {
                pods.AddIndex(Indexers.OwnerUid, Indexers.ByOwnerUid);
            }
            catch (InvalidOperationException)
            {
                // Another controller added it first.
            }
        }

        return pods;
    }

    private void Enqueue(RS rs) => Queue.Add(KubeObject.Key(rs));
}
