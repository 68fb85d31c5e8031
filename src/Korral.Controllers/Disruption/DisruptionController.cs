using Korral.Api.Models.AppsV1;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.PolicyV1;
using Korral.Client;
using Korral.Client.Events;
using Korral.Client.Informers;
using Korral.Client.Queues;
using Korral.Controllers.Manager;

namespace Korral.Controllers.Disruption;

/// <summary>
/// Keeps every PodDisruptionBudget's status current (upstream's pkg/controller/disruption): how many pods are expected
/// (from the pods' controllers' scale, for percentages and maxUnavailable), how many are healthy (Ready, not being
/// deleted, not just evicted), how many must be, and so how many disruptions the eviction subresource may allow now.
/// Entries the eviction subresource adds to status.disruptedPods are dropped once the pod is being deleted, or after
/// <see cref="DeletionTimeout"/> when it never was. A second queue resets a pod's DisruptionTarget condition when the
/// deletion it announced has not started within <see cref="StalePodDisruptionTimeout"/>. When the status cannot be
/// computed, the budget is failed safe: no disruptions allowed.
/// </summary>
public sealed partial class DisruptionController : IController
{
    public const string ControllerName = "disruption";

    /// <summary>How long an evicted pod may take to be marked for deletion before its disruptedPods entry is dropped.</summary>
    public static readonly TimeSpan DeletionTimeout = TimeSpan.FromMinutes(2);

    /// <summary>How long a DisruptionTarget condition may stand on a pod that is not being deleted.</summary>
    public static readonly TimeSpan StalePodDisruptionTimeout = TimeSpan.FromMinutes(2);

    private readonly Lister<PodDisruptionBudget> _budgets;
    private readonly Indexer<Pod> _pods;
    private readonly Lister<ReplicaSet> _replicaSets;
    private readonly Lister<Deployment> _deployments;
    private readonly Lister<StatefulSet> _statefulSets;
    private readonly Lister<ReplicationController> _replicationControllers;
    private readonly IDisruptionWriter _writer;
    private readonly IEventRecorder _events;
    private readonly TimeProvider _time;
    private readonly Action<string> _log;

    /// <summary>Built by the manager: shared informers, the API client, the event recorder.</summary>
    public DisruptionController(ControllerContext context)
        : this(
            context.Informers.Informer<PodDisruptionBudget>().Lister,
            context.Informers.Informer<Pod>().Indexer,
            context.Informers.Informer<ReplicaSet>().Lister,
            context.Informers.Informer<Deployment>().Lister,
            context.Informers.Informer<StatefulSet>().Lister,
            context.Informers.Informer<ReplicationController>().Lister,
            new ApiDisruptionWriter(context.Client),
            context.Events,
            context.Time,
            context.Log)
    {
        context.Informers.Informer<PodDisruptionBudget>().AddEventHandler(onAdd: Enqueue, onUpdate: (_, b) => Enqueue(b), onDelete: Enqueue);
        context.Informers.Informer<Pod>().AddEventHandler(onAdd: OnPodAdd, onUpdate: OnPodUpdate, onDelete: OnPodDelete);
    }

    /// <summary>From explicit parts (tests seed the caches and record the writes).</summary>
    public DisruptionController(
        Lister<PodDisruptionBudget> budgets,
        Indexer<Pod> pods,
        Lister<ReplicaSet> replicaSets,
        Lister<Deployment> deployments,
        Lister<StatefulSet> statefulSets,
        Lister<ReplicationController> replicationControllers,
        IDisruptionWriter writer,
        IEventRecorder events,
        TimeProvider time,
        Action<string> log)
    {
        _budgets = budgets;
        _pods = pods;
        _replicaSets = replicaSets;
        _deployments = deployments;
        _statefulSets = statefulSets;
        _replicationControllers = replicationControllers;
        _writer = writer;
        _events = events;
        _time = time;
        _log = log;
        Queue = new RateLimitingQueue<string>(RateLimiters.DefaultController<string>(time), time);
        StalePodQueue = new RateLimitingQueue<string>(RateLimiters.DefaultController<string>(time), time);
    }

    public string Name => ControllerName;

    /// <summary>Keys of budgets to sync.</summary>
    public RateLimitingQueue<string> Queue { get; }

    /// <summary>Keys of pods whose DisruptionTarget condition may have gone stale.</summary>
    public RateLimitingQueue<string> StalePodQueue { get; }

    /// <summary>Runs <paramref name="workers"/> budget workers and one worker for stale pod conditions.</summary>
    public Task RunAsync(int workers, CancellationToken cancellationToken) =>
        Task.WhenAll(
            QueueWorkers.RunAsync(Queue, workers, SyncAsync, _log, cancellationToken),
            QueueWorkers.RunAsync(StalePodQueue, 1, SyncStalePodAsync, _log, cancellationToken));

    private void Enqueue(PodDisruptionBudget budget) => Queue.Add(KubeObject.Key(budget));

    public void OnPodAdd(Pod pod)
    {
        if (BudgetFor(pod) is { } budget)
        {
            Enqueue(budget);
        }

        EnqueueIfStaleDisruption(pod);
    }

    public void OnPodUpdate(Pod old, Pod cur) => OnPodAdd(cur);

    public void OnPodDelete(Pod pod)
    {
        if (BudgetFor(pod) is { } budget)
        {
            Enqueue(budget);
        }
    }
}
