using Korral.Api.Models.CoreV1;
using Korral.Client;
using Korral.Client.Events;
using Korral.Client.Informers;
using Korral.Client.Queues;
using Korral.Controllers.Manager;

namespace Korral.Controllers.NodeLifecycle;

/// <summary>
/// Upstream's taint eviction controller (taint-eviction-controller, the "taint manager"): a pod on a node with NoExecute
/// taints it does not tolerate is deleted at once; one that tolerates them all for a while (tolerationSeconds, the
/// smallest of the tolerations used) is deleted when that time has passed since the controller saw the taints, unless
/// they go away first; one that tolerates them forever stays. Deletions are graceful and first mark the pod with a
/// DisruptionTarget condition.
/// </summary>
/// <remarks>
/// Node and pod changes are keys of two queues; their handling only reads caches and schedules or cancels evictions
/// under one lock (so a node's taints and its pods' schedules never race). Scheduled evictions are keys of a delaying
/// queue due at their time. A deletion that fails is retried with backoff until it succeeds or is cancelled (upstream
/// tries five times and then waits for the next change of the pod or node).
/// </remarks>
public sealed class TaintEvictionController : IController
{
    public const string ControllerName = "tainteviction";

    private readonly Indexer<Node> _nodes;
    private readonly Indexer<Pod> _pods;
    private readonly ITaintEvictionWriter _writer;
    private readonly IEventRecorder _events;
    private readonly TimeProvider _time;
    private readonly Action<string> _log;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<Taint>> _taintedNodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ScheduledEviction> _scheduled = new(StringComparer.Ordinal);

    /// <summary>Built by the manager: shared node and pod informers, the API client, the event recorder.</summary>
    public TaintEvictionController(ControllerContext context)
        : this(context.Informers.Informer<Node>().Indexer, context.Informers.Informer<Pod>().Indexer,
            new ApiTaintEvictionWriter(context.Client, context.Time), context.Events, context.Time, context.Log)
    {
        context.Informers.Informer<Node>().AddEventHandler(
            onAdd: n => NodeQueue.Add(KubeObject.Key(n)),
            onUpdate: (old, cur) =>
            {
                if (!SameTaints(NodeTaints.NoExecuteOf(old), NodeTaints.NoExecuteOf(cur)))
                {
                    NodeQueue.Add(KubeObject.Key(cur));
                }
            },
            onDelete: n => NodeQueue.Add(KubeObject.Key(n)));
        context.Informers.Informer<Pod>().AddEventHandler(
            onAdd: p =>
            {
                if (!string.IsNullOrEmpty(p.Spec?.NodeName))
                {
                    PodQueue.Add(KubeObject.Key(p));
                }
            },
            onUpdate: (old, cur) =>
            {
                if (old.Spec?.NodeName != cur.Spec?.NodeName || !SameTolerations(old.Spec?.Tolerations, cur.Spec?.Tolerations))
                {
                    PodQueue.Add(KubeObject.Key(cur));
                }
            },
            onDelete: p => PodQueue.Add(KubeObject.Key(p)));
    }

    /// <summary>From explicit parts (tests seed the caches and fake the deletions).</summary>
    public TaintEvictionController(Indexer<Node> nodes, Indexer<Pod> pods, ITaintEvictionWriter writer, IEventRecorder events, TimeProvider time, Action<string> log)
    {
        _nodes = nodes;
        _pods = pods;
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

        _writer = writer;
        _events = events;
        _time = time;
        _log = log;
        NodeQueue = new RateLimitingQueue<string>(RateLimiters.DefaultController<string>(time), time);
        PodQueue = new RateLimitingQueue<string>(RateLimiters.DefaultController<string>(time), time);
        Evictions = new RateLimitingQueue<string>(RateLimiters.DefaultController<string>(time), time);
    }

    public string Name => ControllerName;

    /// <summary>Nodes whose NoExecute taints changed.</summary>
    public RateLimitingQueue<string> NodeQueue { get; }

    /// <summary>Pods whose node or tolerations changed, or that were deleted.</summary>
    public RateLimitingQueue<string> PodQueue { get; }

    /// <summary>Pods with a scheduled eviction, each due at its time.</summary>
    public RateLimitingQueue<string> Evictions { get; }

    public Task RunAsync(int workers, CancellationToken cancellationToken) =>
        Task.WhenAll(
            QueueWorkers.RunAsync(NodeQueue, workers, HandleNodeAsync, _log, cancellationToken),
            QueueWorkers.RunAsync(PodQueue, workers, HandlePodAsync, _log, cancellationToken),
            QueueWorkers.RunAsync(Evictions, workers, EvictAsync, _log, cancellationToken));

    /// <summary>The pod's scheduled eviction, if any.</summary>
    public ScheduledEviction? ScheduledFor(string podKey)
    {
        lock (_lock)
        {
            return _scheduled.GetValueOrDefault(podKey);
        }
    }

    /// <summary>Records the node's NoExecute taints and (re)considers every pod on it.</summary>
    public Task HandleNodeAsync(string name, CancellationToken cancellationToken)
    {
        var node = _nodes.Get(null, name);
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (node is null)
            {
                _taintedNodes.Remove(name);
                return Task.CompletedTask;
            }

            var taints = NodeTaints.NoExecuteOf(node);
            if (taints.Count == 0)
            {
                _taintedNodes.Remove(name);
            }
            else
            {
                _taintedNodes[name] = taints;
            }

            foreach (var pod in _pods.ByIndex(Indexers.NodeName, name))
            {
                var key = KubeObject.Key(pod);
                if (taints.Count == 0)
                {
                    Cancel(key);
                }
                else
                {
                    ProcessPodOnNode(key, name, pod.Spec?.Tolerations, taints, now);
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>(Re)considers one pod against its node's NoExecute taints; a deleted pod's eviction is cancelled.</summary>
    public Task HandlePodAsync(string key, CancellationToken cancellationToken)
    {
        var pod = _pods.Get(key);
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (pod is null)
            {
                Cancel(key);
            }
            else if (pod.Spec?.NodeName is { Length: > 0 } nodeName && _taintedNodes.TryGetValue(nodeName, out var taints))
            {
                ProcessPodOnNode(key, nodeName, pod.Spec.Tolerations, taints, now);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Deletes the pod if its eviction is due (re-queued when it is not yet); throws to be retried.</summary>
    public async Task EvictAsync(string key, CancellationToken cancellationToken)
    {
        ScheduledEviction? eviction;
        bool first;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            if (!_scheduled.TryGetValue(key, out eviction) || eviction.Done)
            {
                return;
            }

            if (eviction.FireAt > now)
            {
                Evictions.AddAfter(key, eviction.FireAt - now);
                return;
            }

            first = !eviction.Fired;
            _scheduled[key] = eviction = eviction with { Fired = true };
        }

        var (ns, name) = Split(key);
        if (first)
        {
            _log($"{ControllerName}: deleting pod {key}");
            _events.Event(PodReference(ns, name), EventTypes.Normal, "TaintManagerEviction", $"Marking for deletion Pod {key}");
        }

        await _writer.EvictAsync(ns, name, cancellationToken);
        lock (_lock)
        {
            if (_scheduled.TryGetValue(key, out var current) && current.CreatedAt == eviction.CreatedAt)
            {
                _scheduled[key] = current with { Done = true };
            }
        }
    }

    // Under _lock. Upstream's processPodOnNode.
    private void ProcessPodOnNode(string key, string nodeName, IList<Toleration>? tolerations, List<Taint> taints, DateTimeOffset now)
    {
        var (allTolerated, used) = Tolerations.Matching(taints, tolerations?.ToList());
        if (!allTolerated)
        {
            _log($"{ControllerName}: pod {key} does not tolerate the NoExecute taints of node {nodeName}: deleting it now");
            Cancel(key);
            Schedule(key, now, now, now);
            return;
        }

        if (Tolerations.MinTolerationTime(used) is not { } toleration)
        {
            Cancel(key); // Tolerated forever.
            return;
        }

        if (_scheduled.ContainsKey(key))
        {
            // Already scheduled (or carried out): the first schedule stands, as upstream keeps it.
            return;
        }

        Schedule(key, now, now + toleration, now);
    }

    // Under _lock.
    private void Schedule(string key, DateTimeOffset createdAt, DateTimeOffset fireAt, DateTimeOffset now)
    {
        if (_scheduled.TryAdd(key, new ScheduledEviction(createdAt, fireAt)))
        {
            Evictions.AddAfter(key, fireAt - now);
        }
    }

    // Under _lock. An eviction still pending is cancelled with an event; a carried-out one is forgotten silently.
    private void Cancel(string key)
    {
        if (_scheduled.Remove(key, out var eviction) && !eviction.Done)
        {
            var (ns, name) = Split(key);
            _events.Event(PodReference(ns, name), EventTypes.Normal, "TaintManagerEviction", $"Cancelling deletion of Pod {key}");
        }
    }

    private static (string Namespace, string Name) Split(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return (key[..slash], key[(slash + 1)..]);
    }

    private static ObjectReference PodReference(string ns, string name) => new() { ApiVersion = "v1", Kind = "Pod", Namespace = ns, Name = name };

    private static bool SameTaints(List<Taint> a, List<Taint> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Key == p.Second.Key && p.First.Value == p.Second.Value && p.First.Effect == p.Second.Effect
            && p.First.TimeAdded == p.Second.TimeAdded);

    private static bool SameTolerations(IList<Toleration>? a, IList<Toleration>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a ?? []).Zip(b ?? []).All(p => p.First.Key == p.Second.Key && p.First.Operator == p.Second.Operator
            && p.First.Value == p.Second.Value && p.First.Effect == p.Second.Effect && p.First.TolerationSeconds == p.Second.TolerationSeconds);
}
