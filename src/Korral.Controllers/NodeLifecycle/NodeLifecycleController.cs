using Korral.Api.Models.CoordinationV1;
using Korral.Api.Models.CoreV1;
using Korral.Client;
using Korral.Client.Events;
using Korral.Client.Informers;
using Korral.Client.Queues;
using Korral.Controllers.Manager;

namespace Korral.Controllers.NodeLifecycle;

/// <summary>
/// Upstream's node lifecycle controller (node-lifecycle-controller): watches node heartbeats (kube-node-lease Leases and
/// the Ready condition's lastHeartbeatTime) and, when a node stays silent past its grace period, sets its kubelet
/// conditions to Unknown, marks its pods not Ready, keeps the condition taints (NoSchedule) in step with the conditions,
/// and queues the node for a NoExecute not-ready/unreachable taint at its zone's rate, which
/// <see cref="TaintEvictionController"/> turns into evictions.
/// </summary>
/// <remarks>
/// Upstream re-checks every node every 5 s (--node-monitor-period). Here each node is a key of a delaying queue: it is
/// synced when its Node or Lease changes, and once more at its deadline (last heartbeat seen + grace period), so a
/// silent node costs nothing until its deadline and detection is not late by up to one period. Zone health is kept as
/// counts updated by each node sync, and evaluated when they change.
/// </remarks>
public sealed partial class NodeLifecycleController : IController
{
    public const string ControllerName = "nodelifecycle";

    /// <summary>The namespace of the nodes' heartbeat Leases.</summary>
    public const string NodeLeaseNamespace = "kube-node-lease";

    /// <summary>A deadline is checked this long after it passes: a node expires when now is strictly after it, as upstream.</summary>
    private static readonly TimeSpan DeadlineSlack = TimeSpan.FromMilliseconds(1);

    private readonly Indexer<Node> _nodes;
    private readonly Indexer<Lease> _leases;
    private readonly Indexer<Pod> _pods;
    private readonly INodeLifecycleWriter _writer;
    private readonly IEventRecorder _events;
    private readonly TimeProvider _time;
    private readonly Action<string> _log;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, NodeHealth> _health = new(StringComparer.Ordinal);
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly HashSet<string> _needsRetry = new(StringComparer.Ordinal);

    /// <summary>Built by the manager: shared informers for nodes, leases and pods, the API client, the event recorder.</summary>
    public NodeLifecycleController(ControllerContext context, NodeLifecycleOptions? options = null)
        : this(
            context.Informers.Informer<Node>().Indexer,
            context.Informers.Informer<Lease>().Indexer,
            context.Informers.Informer<Pod>().Indexer,
            new ApiNodeLifecycleWriter(context.Client),
            context.Events,
            context.Time,
            context.Log,
            options)
    {
        context.Informers.Informer<Node>().AddEventHandler(
            onAdd: n => Queue.Add(KubeObject.Key(n)),
            onUpdate: (old, cur) =>
            {
                if (old.Metadata?.ResourceVersion != cur.Metadata?.ResourceVersion)
                {
                    Queue.Add(KubeObject.Key(cur));
                }
            },
            onDelete: n => Queue.Add(KubeObject.Key(n)));
        context.Informers.Informer<Lease>().AddEventHandler(
            onAdd: OnLease,
            onUpdate: (old, cur) =>
            {
                if (old.Metadata?.ResourceVersion != cur.Metadata?.ResourceVersion)
                {
                    OnLease(cur);
                }
            });
        context.Informers.Informer<Pod>().AddEventHandler(
            onAdd: p => OnPodUpdated(null, p),
            onUpdate: OnPodUpdated);
    }

    /// <summary>From explicit parts (tests seed the caches and fake the writes; nothing is wired to informers).</summary>
    public NodeLifecycleController(Indexer<Node> nodes, Indexer<Lease> leases, Indexer<Pod> pods, INodeLifecycleWriter writer, IEventRecorder events,
        TimeProvider time, Action<string> log, NodeLifecycleOptions? options = null)
    {
        Options = options ?? new NodeLifecycleOptions();
        var errors = Options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("\n", errors), nameof(options));
        }

        _nodes = nodes;
        _leases = leases;
        _pods = WithNodeNameIndex(pods);
        _writer = writer;
        _events = events;
        _time = time;
        _log = log;
        Queue = new RateLimitingQueue<string>(RateLimiters.DefaultController<string>(time), time);
        PodQueue = new RateLimitingQueue<string>(RateLimiters.DefaultController<string>(time), time);
    }

    public string Name => ControllerName;

    public NodeLifecycleOptions Options { get; }

    /// <summary>Node names to sync: on Node and Lease changes, and at each node's deadline.</summary>
    public RateLimitingQueue<string> Queue { get; }

    /// <summary>Pods newly bound to a node, to mark not Ready when that node is not Ready.</summary>
    public RateLimitingQueue<string> PodQueue { get; }

    /// <summary>What the controller last saw of a node's health (null: never synced, or deleted).</summary>
    public NodeHealth? HealthOf(string nodeName)
    {
        lock (_lock)
        {
            return _health.GetValueOrDefault(nodeName);
        }
    }

    /// <summary>Runs the node workers, the pod workers and the NoExecute tainting loop until cancelled.</summary>
    public async Task RunAsync(int workers, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            // Zone health is first judged once every node already known has been synced, as upstream judges it at the
            // end of a full pass: judging it after the first few nodes could flip the whole cluster into disruption mode.
            var pending = _nodes.List().Select(n => n.Metadata?.Name ?? "").Where(n => n.Length > 0).ToHashSet(StringComparer.Ordinal);
            _initialPending = pending.Count > 0 ? pending : null;
        }

        _log($"{ControllerName}: starting (grace period {Options.NodeMonitorGracePeriod.TotalSeconds} s, startup grace period {Options.NodeStartupGracePeriod.TotalSeconds} s)");
        await Task.WhenAll(
            QueueWorkers.RunAsync(Queue, workers, SyncNodeAsync, _log, cancellationToken),
            QueueWorkers.RunAsync(PodQueue, Options.PodWorkers, SyncPodAsync, _log, cancellationToken),
            RunTaintingAsync(cancellationToken));
    }

    private static Indexer<Pod> WithNodeNameIndex(Indexer<Pod> pods)
    {
        if (!pods.HasIndex(Indexers.NodeName))
        {
            try
            {
                pods.AddIndex(Indexers.NodeName, Indexers.ByNodeName);
            }
            catch (InvalidOperationException)
            {
                // Another controller added it first.
            }
        }

        return pods;
    }

    private void OnLease(Lease lease)
    {
        if (lease.Metadata?.Namespace == NodeLeaseNamespace && lease.Metadata.Name is { Length: > 0 } name)
        {
            Queue.Add(name);
        }
    }

    private void RecordNodeEvent(Node node, string type, string reason, string message) =>
        _events.Event(new ObjectReference { Kind = "Node", ApiVersion = "v1", Name = node.Metadata?.Name, Uid = node.Metadata?.Uid }, type, reason, message);
}
