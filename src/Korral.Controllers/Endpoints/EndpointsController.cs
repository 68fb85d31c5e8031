using System.Text.Json;
using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Client;
using Korral.Client.Informers;
using Korral.Client.Queues;
using Korral.Controllers.Manager;
using CoreEndpoints = Korral.Api.Models.CoreV1.Endpoints;

namespace Korral.Controllers.ServiceEndpoints;

/// <summary>
/// Keeps an Endpoints object (same name) for every Service with a selector: the selected pods' IPs, ready ones in
/// <c>addresses</c>, the others in <c>notReadyAddresses</c>, with each service port resolved per pod and the subsets packed
/// as upstream packs them (addresses sharing one set of ports form one subset). Services without a selector are left
/// alone; a deleted service's Endpoints are deleted.
/// </summary>
public sealed class EndpointsController : IController
{
    /// <summary>Upstream's cap on the addresses of one Endpoints object; beyond it the object is truncated and annotated.</summary>
    public const int MaxAddresses = 1000;

    public const string OverCapacityAnnotation = "endpoints.kubernetes.io/over-capacity";
    public const string HeadlessLabel = "service.kubernetes.io/headless";

    private readonly ControllerContext _context;
    private readonly SharedInformer<Service> _services;
    private readonly SharedInformer<Pod> _pods;
    private readonly SharedInformer<CoreEndpoints> _endpoints;
    private readonly RateLimitingQueue<string> _queue = new();

    public EndpointsController(ControllerContext context)
    {
        _context = context;
        _services = context.Informers.Informer<Service>();
        _pods = context.Informers.Informer<Pod>();
        _endpoints = context.Informers.Informer<CoreEndpoints>();

        _services.AddEventHandler(onAdd: s => Enqueue(s), onUpdate: (_, s) => Enqueue(s), onDelete: s => Enqueue(s));
        _pods.AddEventHandler(
            onAdd: p => EnqueueServicesOf(p),
            onUpdate: (old, p) =>
            {
                if (PodEndpoints.EndpointRelevantChange(old, p))
                {
                    EnqueueServicesOf(old);
                    EnqueueServicesOf(p);
                }
            },
            onDelete: p => EnqueueServicesOf(p));
        // Someone else changing or deleting an Endpoints object of a service we manage: put it back.
        _endpoints.AddEventHandler(onUpdate: (old, e) =>
        {
            if (old.Metadata?.ResourceVersion != e.Metadata?.ResourceVersion)
            {
                EnqueueIfManaged(e);
            }
        }, onDelete: e => EnqueueIfManaged(e));
    }

    public string Name => "endpoint";

    public Task RunAsync(int workers, CancellationToken cancellationToken) =>
        QueueWorkers.RunAsync(_queue, workers, SyncAsync, _context.Log, cancellationToken);

    private void Enqueue(Service service) => _queue.Add(KubeObject.Key(service));

    private void EnqueueServicesOf(Pod pod)
    {
        foreach (var service in PodEndpoints.ServicesSelecting(_services.Lister, pod))
        {
            Enqueue(service);
        }
    }

    private void EnqueueIfManaged(CoreEndpoints endpoints)
    {
        if (_services.Lister.Get(KubeObject.Key(endpoints)) is { } service && PodEndpoints.Selector(service) is not null)
        {
            Enqueue(service);
        }
    }

    /// <summary>Brings the Endpoints of the service <paramref name="key"/> in line with its pods.</summary>
    public async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKey.Split(key);
        var api = _context.Client.Resource<CoreEndpoints>();
        var service = _services.Lister.Get(key);
        if (service is null)
        {
            if (_endpoints.Lister.Get(key) is not null)
            {
                try
                {
                    await api.DeleteAsync(ns, name, cancellationToken);
                }
                catch (KubeApiException e) when (e.IsNotFound)
                {
                }
            }

            return;
        }

        var selector = PodEndpoints.Selector(service);
        if (selector is null)
        {
            return;
        }

        var pods = _pods.Lister.List(ns, selector);
        var (subsets, truncated) = Build(service, pods);
        var labels = new Dictionary<string, string>(service.Metadata?.Labels ?? new Dictionary<string, string>());
        if (service.Spec?.ClusterIP == "None")
        {
            labels[HeadlessLabel] = "";
        }
        else
        {
            labels.Remove(HeadlessLabel);
        }

        var current = _endpoints.Lister.Get(key);
        if (current is null)
        {
            var created = new CoreEndpoints
            {
                Metadata = new ObjectMeta
                {
                    Name = name,
                    Namespace = ns,
                    Labels = labels.Count == 0 ? null : labels,
                    Annotations = truncated ? new Dictionary<string, string> { [OverCapacityAnnotation] = "truncated" } : null,
                },
                Subsets = subsets,
            };
            try
            {
                await api.CreateAsync(created, cancellationToken);
            }
            catch (KubeApiException e) when (e.IsAlreadyExists)
            {
                // The cache is behind; the add event will bring the service back here.
            }

            return;
        }

        var annotations = new Dictionary<string, string>(current.Metadata?.Annotations ?? new Dictionary<string, string>());
        if (truncated)
        {
            annotations[OverCapacityAnnotation] = "truncated";
        }
        else
        {
            annotations.Remove(OverCapacityAnnotation);
        }

        if (Same(NullIfEmpty(current.Subsets), NullIfEmpty(subsets)) && PodEndpoints.SameLabels(current.Metadata?.Labels, labels)
            && PodEndpoints.SameLabels(current.Metadata?.Annotations, annotations))
        {
            return;
        }

        var updated = KubeObject.Clone(current);
        updated.Metadata!.Labels = labels.Count == 0 ? null : labels;
        updated.Metadata.Annotations = annotations.Count == 0 ? null : annotations;
        updated.Subsets = subsets;
        await api.UpdateAsync(updated, cancellationToken);
    }

    /// <summary>The subsets for <paramref name="service"/> given the pods its selector matches, packed and sorted.</summary>
    public static (List<EndpointSubset> Subsets, bool Truncated) Build(Service service, IEnumerable<Pod> pods)
    {
        var publishNotReady = service.Spec?.PublishNotReadyAddresses == true;
        var servicePorts = service.Spec?.Ports ?? [];
        var headless = service.Spec?.ClusterIP == "None";
        // Address (by IP) → (address, ready, ports): an address reached on several ports keeps them all.
        var entries = new Dictionary<string, (EndpointAddress Address, bool Ready, SortedSet<string> PortKeys)>(StringComparer.Ordinal);
        var ports = new Dictionary<string, EndpointPort>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            if (!PodEndpoints.ShouldBeInEndpoints(pod, includeTerminating: publishNotReady))
            {
                continue;
            }

            var ready = publishNotReady || PodEndpoints.IsReady(pod);
            var address = new EndpointAddress
            {
                Ip = pod.Status!.PodIP,
                NodeName = pod.Spec?.NodeName,
                Hostname = PodEndpoints.Hostname(pod, service),
                TargetRef = PodEndpoints.TargetRef(pod),
            };
            var keys = new SortedSet<string>(StringComparer.Ordinal);
            if (servicePorts.Count == 0)
            {
                if (!headless)
                {
                    continue;
                }
            }
            else
            {
                foreach (var servicePort in servicePorts)
                {
                    if (PodEndpoints.FindPort(pod, servicePort) is not { } number)
                    {
                        continue;
                    }

                    var port = new EndpointPort { Name = servicePort.Name, Port = number, Protocol = servicePort.Protocol ?? "TCP", AppProtocol = servicePort.AppProtocol };
                    var portKey = $"{port.Name}\0{port.Port}\0{port.Protocol}\0{port.AppProtocol}";
                    ports[portKey] = port;
                    keys.Add(portKey);
                }

                if (keys.Count == 0)
                {
                    continue;
                }
            }

            if (entries.TryGetValue(address.Ip!, out var existing))
            {
                // Two pods with one IP (host network): the ready one wins, ports merge.
                existing.PortKeys.UnionWith(keys);
                entries[address.Ip!] = (existing.Ready ? existing.Address : address, existing.Ready || ready, existing.PortKeys);
            }
            else
            {
                entries[address.Ip!] = (address, ready, keys);
            }
        }

        // Repack: addresses with the same set of ports share a subset.
        var groups = entries.Values
            .GroupBy(e => string.Join("\u0001", e.PortKeys), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        var subsets = new List<EndpointSubset>();
        var total = 0;
        var truncated = false;
        foreach (var group in groups)
        {
            var ready = group.Where(e => e.Ready).Select(e => e.Address).OrderBy(a => a, AddressOrder.Instance).ToList();
            var notReady = group.Where(e => !e.Ready).Select(e => e.Address).OrderBy(a => a, AddressOrder.Instance).ToList();
            var room = MaxAddresses - total;
            if (ready.Count + notReady.Count > room)
            {
                truncated = true;
                ready = ready.Take(room).ToList();
                notReady = notReady.Take(Math.Max(0, room - ready.Count)).ToList();
            }

            total += ready.Count + notReady.Count;
            if (ready.Count + notReady.Count == 0)
            {
                continue;
            }

            var first = group.First();
            subsets.Add(new EndpointSubset
            {
                Addresses = ready.Count > 0 ? ready : null,
                NotReadyAddresses = notReady.Count > 0 ? notReady : null,
                Ports = first.PortKeys.Count > 0
                    ? first.PortKeys.Select(k => ports[k]).OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Port).ThenBy(p => p.Protocol, StringComparer.Ordinal).ToList()
                    : null,
            });
        }

        return (subsets, truncated);
    }

    private static IList<EndpointSubset>? NullIfEmpty(IList<EndpointSubset>? l) => l is { Count: 0 } ? null : l;

    private static bool Same<T>(T? a, T? b) =>
        JsonSerializer.Serialize(a, KubeJson.Options) == JsonSerializer.Serialize(b, KubeJson.Options);

    /// <summary>Addresses by IP (numerically within a family), then by pod UID.</summary>
    private sealed class AddressOrder : IComparer<EndpointAddress>
    {
        public static readonly AddressOrder Instance = new();

        public int Compare(EndpointAddress? x, EndpointAddress? y)
        {
            var c = CompareIp(x?.Ip, y?.Ip);
            return c != 0 ? c : string.CompareOrdinal(x?.TargetRef?.Uid, y?.TargetRef?.Uid);
        }

        private static int CompareIp(string? a, string? b)
        {
            if (System.Net.IPAddress.TryParse(a, out var x) && System.Net.IPAddress.TryParse(b, out var y))
            {
                var bx = x.GetAddressBytes();
                var by = y.GetAddressBytes();
                if (bx.Length != by.Length)
                {
                    return bx.Length.CompareTo(by.Length);
                }

                for (var i = 0; i < bx.Length; i++)
                {
                    if (bx[i] != by[i])
                    {
                        return bx[i].CompareTo(by[i]);
                    }
                }

                return 0;
            }

            return string.CompareOrdinal(a, b);
        }
    }
}
