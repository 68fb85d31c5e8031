using Korral.Api.Models.CoreV1;
using Korral.Api.Models.NetworkingV1;
using Korral.Client;
using Korral.Client.Informers;
using Korral.Client.Queues;

namespace Korral.Ingress.Status;

// "Ingress" is the Kubernetes type here, not the namespace Korral.Ingress: an alias inside the namespace is found first.
using Ingress = Korral.Api.Models.NetworkingV1.Ingress;

/// <summary>
/// Keeps status.loadBalancer.ingress of the Ingresses we serve equal to <see cref="PublishedAddresses"/>: a queue of
/// Ingress keys, filled when an Ingress or our node changes, each reconciled from the caches and written with the
/// resourceVersion read (a conflict is retried with backoff). Ingresses of other classes are never written.
/// </summary>
internal sealed class IngressStatusWriter
{
    private readonly KubeClient _client;
    private readonly SharedInformer<Ingress> _ingresses;
    private readonly SharedInformer<Node> _nodes;
    private readonly Func<Ingress, bool> _isOurs;
    private readonly IngressOptions _options;
    private readonly RateLimitingQueue<string> _queue;

    public IngressStatusWriter(KubeClient client, SharedInformer<Ingress> ingresses, SharedInformer<Node> nodes, Func<Ingress, bool> isOurs, IngressOptions options)
    {
        _client = client;
        _ingresses = ingresses;
        _nodes = nodes;
        _isOurs = isOurs;
        _options = options;
        _queue = new RateLimitingQueue<string>(new ItemExponentialFailureRateLimiter<string>(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(60)), options.Time);
        ingresses.AddEventHandler(onAdd: i => _queue.Add(KubeObject.Key(i)), onUpdate: (_, i) => _queue.Add(KubeObject.Key(i)));
        nodes.AddEventHandler(
            onAdd: n => NodeChanged(n),
            onUpdate: (old, n) =>
            {
                if (old.Metadata?.ResourceVersion != n.Metadata?.ResourceVersion)
                {
                    NodeChanged(n);
                }
            });
    }

    /// <summary>Enqueues every cached Ingress (our classes changed, so which Ingresses are ours may have).</summary>
    public void RequeueAll()
    {
        foreach (var key in _ingresses.Indexer.ListKeys())
        {
            _queue.Add(key);
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(_ingresses.WaitForSyncAsync(cancellationToken), _nodes.WaitForSyncAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }

        await QueueWorkers.RunAsync(_queue, workers: 1, SyncAsync, _options.Log, cancellationToken);
    }

    private void NodeChanged(Node node)
    {
        if (node.Metadata?.Name == _options.NodeName)
        {
            RequeueAll();
        }
    }

    private async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        if (_ingresses.Lister.Get(key) is not { } ingress || !_isOurs(ingress))
        {
            return;
        }

        var wanted = PublishedAddresses.For(_nodes.Lister.Get(_options.NodeName), _options.PublishAddresses);
        if (wanted.Count == 0 || PublishedAddresses.Matches(ingress, wanted))
        {
            // No address known yet (the node has not reported one): an empty status is not written over a real one.
            return;
        }

        var updated = KubeObject.Clone(ingress);
        updated.Status ??= new IngressStatus();
        updated.Status.LoadBalancer = new IngressLoadBalancerStatus { Ingress = wanted };
        await _client.Resource<Ingress>().UpdateStatusAsync(updated, cancellationToken);
        _options.Log($"ingress: status of Ingress {key}: loadBalancer {string.Join(",", wanted.Select(w => w.Ip ?? w.Hostname))}");
    }
}
