using System.Text.Json;
using Korral.Api.Models.CoreV1;
using Korral.Client;
using Korral.Client.Informers;
using Korral.Client.Queues;

namespace Korral.Proxy.LoadBalancer;

/// <summary>
/// Writes status.loadBalancer.ingress of LoadBalancer Services from node addresses (<see cref="LoadBalancerAddresses"/>),
/// and clears what is there when a Service stops being ours (type changed). Services with a loadBalancerClass belong to
/// another controller and are never touched. The proxy's rules make the addresses work: every node DNATs traffic to a
/// load-balancer IP and port, as k3s's svclb pods do with host ports. Run once per cluster.
/// </summary>
public sealed class LoadBalancerStatusController
{
    private readonly KubeClient _client;
    private readonly SharedInformer<Service> _services;
    private readonly SharedInformer<Node> _nodes;
    private readonly RateLimitingQueue<string> _queue;
    private readonly Action<string> _log;

    public LoadBalancerStatusController(KubeClient client, SharedInformerFactory informers, Action<string> log, TimeProvider? time = null)
    {
        _client = client;
        _log = log;
        _queue = new RateLimitingQueue<string>(RateLimiters.DefaultController<string>(time), time);
        _services = informers.Informer<Service>();
        _nodes = informers.Informer<Node>();
        _services.AddEventHandler(
            onAdd: s => Enqueue(s),
            onUpdate: (_, s) => Enqueue(s),
            onDelete: _ => { });
        _nodes.AddEventHandler(
            onAdd: _ => EnqueueAll(),
            onUpdate: (old, n) =>
            {
                if (IngressRelevantChange(old, n))
                {
                    EnqueueAll();
                }
            },
            onDelete: _ => EnqueueAll());
    }

    /// <summary>Works the queue until cancelled, once the caches have synced.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(_services.WaitForSyncAsync(cancellationToken), _nodes.WaitForSyncAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }

        await QueueWorkers.RunAsync(_queue, 1, SyncAsync, _log, cancellationToken);
    }

    /// <summary>Brings the status of the service <paramref name="key"/> in line; throws to be retried.</summary>
    public async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var service = _services.Lister.Get(key);
        if (service?.Spec is null)
        {
            return;
        }

        List<string> wanted;
        if (LoadBalancerAddresses.IsOurs(service))
        {
            wanted = LoadBalancerAddresses.For(_nodes.Indexer.List());
        }
        else if (service.Spec.Type != "LoadBalancer")
        {
            wanted = [];
        }
        else
        {
            return;
        }

        var current = LoadBalancerAddresses.Current(service);
        if (current.SequenceEqual(wanted, StringComparer.Ordinal) && (wanted.Count > 0 || service.Status?.LoadBalancer?.Ingress is not { Count: > 0 }))
        {
            return;
        }

        var ingress = wanted.Count == 0 ? null : wanted.Select(ip => new Dictionary<string, string> { ["ip"] = ip }).ToList();
        var patch = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["status"] = new Dictionary<string, object?> { ["loadBalancer"] = new Dictionary<string, object?> { ["ingress"] = ingress } },
        });
        try
        {
            await _client.Resource<Service>().PatchStatusAsync(service.Metadata!.Namespace, service.Metadata.Name!, PatchType.Merge, patch, cancellationToken);
            _log($"proxy: service {key} load balancer ingress [{string.Join(", ", wanted)}]");
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
        }
    }

    private void Enqueue(Service service)
    {
        if (service.Spec?.Type == "LoadBalancer" || service.Status?.LoadBalancer?.Ingress is { Count: > 0 })
        {
            _queue.Add(KubeObject.Key(service));
        }
    }

    private void EnqueueAll()
    {
        foreach (var service in _services.Indexer.List())
        {
            Enqueue(service);
        }
    }

    private static bool IngressRelevantChange(Node old, Node node)
    {
        static string Facts(Node n) => string.Join(
            ",",
            (n.Status?.Addresses ?? []).Select(a => $"{a.Type}={a.Address}")
                .Append($"ready={n.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status}")
                .Append($"lb={(n.Metadata?.Labels?.TryGetValue(LoadBalancerAddresses.EnableLabel, out var lb) == true ? lb : null)}")
                .Append($"deleting={n.Metadata?.DeletionTimestamp is not null}"));
        return Facts(old) != Facts(node);
    }
}
