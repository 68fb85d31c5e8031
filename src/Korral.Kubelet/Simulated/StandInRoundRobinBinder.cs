using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Client;
using Korral.Client.Informers;
using Korral.Client.Queues;

namespace Korral.Kubelet.Simulated;

/// <summary>
/// STAND-IN FOR THE SCHEDULER, until the scheduler issue lands: binds every unscheduled pod (default scheduler, not being
/// deleted) to the simulated nodes in turn, through the pods/binding subresource as a scheduler would. No filtering, no
/// scoring, no resources; only cordoned nodes (spec.unschedulable, `kubectl cordon`) are skipped, as any scheduler skips
/// them, so that a drained node stays empty. Only used with simulated nodes when no scheduler runs.
/// </summary>
public sealed class StandInRoundRobinBinder
{
    private readonly KubeClient _client;
    private readonly SharedInformer<Pod> _pods;
    private readonly SharedInformer<Node> _nodeObjects;
    private readonly IReadOnlyList<string> _nodes;
    private readonly Action<string> _log;
    private readonly RateLimitingQueue<string> _queue = new();
    private int _next = -1;

    public StandInRoundRobinBinder(KubeClient client, SharedInformer<Pod> pods, SharedInformer<Node> nodeObjects, IReadOnlyList<string> nodes,
        Action<string> log)
    {
        _client = client;
        _pods = pods;
        _nodeObjects = nodeObjects;
        _nodes = nodes;
        _log = log;
        pods.AddEventHandler(onAdd: Enqueue, onUpdate: (_, p) => Enqueue(p));
        nodeObjects.AddEventHandler(onUpdate: (old, cur) =>
        {
            if (Cordoned(old) && !Cordoned(cur))
            {
                // Pods that found every node cordoned wait for this.
                foreach (var pod in _pods.Lister.List())
                {
                    Enqueue(pod);
                }
            }
        });
    }

    private static bool Cordoned(Node? node) => node?.Spec?.Unschedulable == true;

    public Task RunAsync(CancellationToken cancellationToken) =>
        QueueWorkers.RunAsync(_queue, 2, BindAsync, _log, cancellationToken);

    private static bool Unscheduled(Pod pod) =>
        string.IsNullOrEmpty(pod.Spec?.NodeName) && pod.Metadata?.DeletionTimestamp is null
        && (pod.Spec?.SchedulerName ?? "default-scheduler") == "default-scheduler"
        && pod.Status?.Phase is null or "Pending";

    private void Enqueue(Pod pod)
    {
        if (Unscheduled(pod))
        {
            _queue.Add(KubeObject.Key(pod));
        }
    }

    private async Task BindAsync(string key, CancellationToken cancellationToken)
    {
        if (_pods.Lister.Get(key) is not { } pod || !Unscheduled(pod))
        {
            return;
        }

        string? node = null;
        for (var i = 0; i < _nodes.Count && node is null; i++)
        {
            var candidate = _nodes[(int)((uint)Interlocked.Increment(ref _next) % (uint)_nodes.Count)];
            if (!Cordoned(_nodeObjects.Lister.Get(null, candidate)))
            {
                node = candidate;
            }
        }

        if (node is null)
        {
            // Every node is cordoned: the pod stays pending until one is uncordoned.
            return;
        }

        var binding = new Binding
        {
            Metadata = new ObjectMeta { Name = pod.Metadata!.Name, Namespace = pod.Metadata.Namespace, Uid = pod.Metadata.Uid },
            Target = new ObjectReference { ApiVersion = "v1", Kind = "Node", Name = node },
        };
        try
        {
            await _client.Resource<Pod>().BindAsync(pod.Metadata.Namespace!, pod.Metadata.Name!, binding, cancellationToken);
        }
        catch (KubeApiException e) when (e.IsConflict || e.IsNotFound)
        {
            // Bound by someone else meanwhile, or gone.
        }
    }
}
