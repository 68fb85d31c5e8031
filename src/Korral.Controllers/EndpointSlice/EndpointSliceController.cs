using System.Collections.Concurrent;
using System.Text.Json;
using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.DiscoveryV1;
using Korral.Api.Models.MetaV1;
using Korral.Client;
using Korral.Client.Informers;
using Korral.Client.Queues;
using Korral.Controllers.ServiceEndpoints;
using Korral.Controllers.Manager;
using Slice = Korral.Api.Models.DiscoveryV1.EndpointSlice;
using SlicePort = Korral.Api.Models.DiscoveryV1.EndpointPort;

namespace Korral.Controllers.EndpointSlices;

/// <summary>
/// Keeps the EndpointSlices of every Service with a selector: slices named <c>&lt;service&gt;-&lt;random&gt;</c>, labelled
/// with the service name and this controller as manager, owned by the Service, holding at most
/// <see cref="MaxEndpointsPerSlice"/> endpoints that share one set of ports. Endpoints carry ready/serving/terminating,
/// nodeName and targetRef. Existing slices are kept and edited in place where possible, so that a change of one pod
/// rewrites one slice.
/// </summary>
public sealed class EndpointSliceController : IController
{
    public const int MaxEndpointsPerSlice = 100;
    public const string ServiceNameLabel = "kubernetes.io/service-name";
    public const string ManagedByLabel = "endpointslice.kubernetes.io/managed-by";
    public const string ManagedBy = "endpointslice-controller.k8s.io";
    private const string ServiceIndex = "service";

    private readonly ControllerContext _context;
    private readonly SharedInformer<Service> _services;
    private readonly SharedInformer<Pod> _pods;
    private readonly SharedInformer<Slice> _slices;
    private readonly RateLimitingQueue<string> _queue = new();

    /// <summary>Per service, what this controller last wrote (slice name → resourceVersion, null: deleted), to spot a stale cache.</summary>
    private readonly ConcurrentDictionary<string, Dictionary<string, long?>> _written = new(StringComparer.Ordinal);

    public EndpointSliceController(ControllerContext context)
    {
        _context = context;
        _services = context.Informers.Informer<Service>();
        _pods = context.Informers.Informer<Pod>();
        var sliceClient = context.Client.Resource<Slice>();
        _slices = context.Informers.Informer<Slice>(sliceClient.Resource, new InformerOptions { LabelSelector = $"{ManagedByLabel}={ManagedBy}" });
        _slices.Indexer.AddIndex(ServiceIndex, s =>
            s.Metadata?.Labels?.TryGetValue(ServiceNameLabel, out var svc) == true ? [ObjectKey.Of(s.Metadata.Namespace, svc)] : []);

        _services.AddEventHandler(onAdd: s => _queue.Add(KubeObject.Key(s)), onUpdate: (_, s) => _queue.Add(KubeObject.Key(s)), onDelete: s => _queue.Add(KubeObject.Key(s)));
        _pods.AddEventHandler(
            onAdd: EnqueueServicesOf,
            onUpdate: (old, p) =>
            {
                if (PodEndpoints.EndpointRelevantChange(old, p))
                {
                    EnqueueServicesOf(old);
                    EnqueueServicesOf(p);
                }
            },
            onDelete: EnqueueServicesOf);
        _slices.AddEventHandler(onAdd: EnqueueServiceOf, onUpdate: (_, s) => EnqueueServiceOf(s), onDelete: s =>
        {
            // A deleted slice can no longer catch up with what we wrote to it: stop waiting for it.
            Forget(s);
            EnqueueServiceOf(s);
        });
    }

    public string Name => "endpointslice";

    public Task RunAsync(int workers, CancellationToken cancellationToken) =>
        QueueWorkers.RunAsync(_queue, workers, SyncAsync, _context.Log, cancellationToken);

    private void EnqueueServicesOf(Pod pod)
    {
        foreach (var service in PodEndpoints.ServicesSelecting(_services.Lister, pod))
        {
            _queue.Add(KubeObject.Key(service));
        }
    }

    private void EnqueueServiceOf(Slice slice)
    {
        if (slice.Metadata?.Labels?.TryGetValue(ServiceNameLabel, out var svc) == true)
        {
            _queue.Add(ObjectKey.Of(slice.Metadata.Namespace, svc));
        }
    }

    /// <summary>Brings the slices of the service <paramref name="key"/> in line with its pods.</summary>
    public async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKey.Split(key);
        var api = _context.Client.Resource<Slice>();
        var existing = _slices.Indexer.ByIndex(ServiceIndex, key);
        if (IsStale(key, existing))
        {
            // Our last writes are not in the cache yet; their events bring the service back.
            return;
        }

        var service = _services.Lister.Get(key);
        if (service is null || PodEndpoints.Selector(service) is not { } selector)
        {
            if (service is null)
            {
                // Upstream leaves this to the garbage collector (the slices are owned by the service); doing it here too
                // does not depend on it running.
                foreach (var slice in existing)
                {
                    await DeleteAsync(api, key, slice, cancellationToken);
                }

                _written.TryRemove(key, out _);
            }

            return;
        }

        var desired = Desired(service, _pods.Lister.List(ns, selector));
        var plan = Plan(service, existing, desired);
        foreach (var slice in plan.Delete)
        {
            await DeleteAsync(api, key, slice, cancellationToken);
        }

        foreach (var slice in plan.Update)
        {
            var updated = await api.UpdateAsync(slice, cancellationToken);
            Record(key, updated.Metadata!.Name!, updated.Metadata.ResourceVersion);
        }

        foreach (var slice in plan.Create)
        {
            var created = await api.CreateAsync(slice, cancellationToken);
            Record(key, created.Metadata!.Name!, created.Metadata.ResourceVersion);
        }
    }

    private async Task DeleteAsync(Korral.Client.ResourceClient<Slice> api, string key, Slice slice, CancellationToken cancellationToken)
    {
        try
        {
            await api.DeleteAsync(slice.Metadata!.Namespace, slice.Metadata.Name!, new DeleteOptions { Preconditions = new Preconditions { Uid = slice.Metadata.Uid } }, cancellationToken);
        }
        catch (KubeApiException e) when (e.IsNotFound || e.IsConflict)
        {
        }

        Record(key, slice.Metadata!.Name!, null);
    }

    private void Record(string key, string slice, string? resourceVersion)
    {
        var written = _written.GetOrAdd(key, _ => new Dictionary<string, long?>(StringComparer.Ordinal));
        lock (written)
        {
            written[slice] = resourceVersion is null ? null : long.Parse(resourceVersion, System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private void Forget(Slice slice)
    {
        if (slice.Metadata?.Labels?.TryGetValue(ServiceNameLabel, out var svc) == true
            && _written.TryGetValue(ObjectKey.Of(slice.Metadata.Namespace, svc), out var written))
        {
            lock (written)
            {
                written.Remove(slice.Metadata.Name ?? "");
            }
        }
    }

    private bool IsStale(string key, List<Slice> cached)
    {
        if (!_written.TryGetValue(key, out var written))
        {
            return false;
        }

        lock (written)
        {
            var byName = cached.ToDictionary(s => s.Metadata!.Name!, StringComparer.Ordinal);
            foreach (var (slice, version) in written.ToList())
            {
                byName.TryGetValue(slice, out var inCache);
                var cachedVersion = inCache?.Metadata?.ResourceVersion is { } rv ? long.Parse(rv, System.Globalization.CultureInfo.InvariantCulture) : (long?)null;
                var caughtUp = version is null ? inCache is null : cachedVersion >= version;
                if (!caughtUp)
                {
                    return true;
                }

                written.Remove(slice);
            }
        }

        return false;
    }

    /// <summary>One endpoint wanted in a slice, keyed by its pod, with the ports it is reached on.</summary>
    public sealed record DesiredEndpoint(string Key, Endpoint Endpoint, string PortsKey, List<SlicePort> Ports);

    /// <summary>The endpoints <paramref name="service"/> should have, given the pods its selector matches.</summary>
    public static List<DesiredEndpoint> Desired(Service service, IEnumerable<Pod> pods)
    {
        var publishNotReady = service.Spec?.PublishNotReadyAddresses == true;
        var ipv6 = service.Spec?.IpFamilies is [var family, ..] && family == "IPv6";
        var result = new List<DesiredEndpoint>();
        foreach (var pod in pods)
        {
            // Terminating pods stay, marked terminating, so that proxies can drain them.
            if (!PodEndpoints.ShouldBeInEndpoints(pod, includeTerminating: true))
            {
                continue;
            }

            var ip = pod.Status!.PodIP!;
            if (ip.Contains(':') != ipv6)
            {
                continue;
            }

            var ports = new List<SlicePort>();
            foreach (var servicePort in service.Spec?.Ports ?? [])
            {
                if (PodEndpoints.FindPort(pod, servicePort) is { } number)
                {
                    ports.Add(new SlicePort { Name = servicePort.Name ?? "", Port = number, Protocol = servicePort.Protocol ?? "TCP", AppProtocol = servicePort.AppProtocol });
                }
            }

            if (ports.Count == 0 && (service.Spec?.Ports?.Count ?? 0) > 0)
            {
                continue;
            }

            var ready = PodEndpoints.IsReady(pod);
            var terminating = PodEndpoints.IsTerminating(pod);
            var endpoint = new Endpoint
            {
                Addresses = [ip],
                Conditions = new EndpointConditions
                {
                    Ready = publishNotReady || (ready && !terminating),
                    Serving = publishNotReady || ready,
                    Terminating = terminating,
                },
                NodeName = pod.Spec?.NodeName,
                Hostname = PodEndpoints.Hostname(pod, service),
                TargetRef = PodEndpoints.TargetRef(pod),
            };
            ports = ports.OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Port).ThenBy(p => p.Protocol, StringComparer.Ordinal).ToList();
            result.Add(new DesiredEndpoint(pod.Metadata!.Uid ?? ip, endpoint, PortsKey(ports), ports));
        }

        return result;
    }

    /// <summary>What to write: slices to create, to update, to delete.</summary>
    public sealed record SlicePlan(List<Slice> Create, List<Slice> Update, List<Slice> Delete);

    /// <summary>
    /// Fits <paramref name="desired"/> into <paramref name="existing"/> slices: endpoints stay in the slice that has them,
    /// new ones fill slices with room first (same ports), then new slices; slices left empty are deleted, except that a
    /// service with no endpoints keeps one empty slice (as upstream's placeholder).
    /// </summary>
    public static SlicePlan Plan(Service service, IReadOnlyList<Slice> existing, List<DesiredEndpoint> desired)
    {
        var addressType = service.Spec?.IpFamilies is [var family, ..] && family == "IPv6" ? "IPv6" : "IPv4";
        var labels = SliceLabels(service);
        var byKey = desired.ToDictionary(d => d.Key, StringComparer.Ordinal);
        var placed = new HashSet<string>(StringComparer.Ordinal);
        var working = new List<(Slice Original, Slice Slice, string PortsKey, List<Endpoint> Endpoints)>();
        var delete = new List<Slice>();

        foreach (var original in existing.OrderBy(s => s.Metadata?.Name, StringComparer.Ordinal))
        {
            if (original.AddressType != addressType)
            {
                delete.Add(original);
                continue;
            }

            var portsKey = PortsKey(original.Ports ?? []);
            var kept = new List<Endpoint>();
            foreach (var endpoint in original.Endpoints ?? [])
            {
                var key = endpoint.TargetRef?.Uid ?? endpoint.Addresses?.FirstOrDefault() ?? "";
                if (byKey.TryGetValue(key, out var want) && want.PortsKey == portsKey && placed.Add(key))
                {
                    kept.Add(want.Endpoint);
                }
            }

            working.Add((original, KubeObject.Clone(original), portsKey, kept));
        }

        // New endpoints go to slices with the same ports and room, fullest first, then to new slices.
        var create = new List<(Slice Slice, string PortsKey, List<Endpoint> Endpoints)>();
        foreach (var group in desired.Where(d => !placed.Contains(d.Key)).GroupBy(d => d.PortsKey, StringComparer.Ordinal))
        {
            var queue = new Queue<DesiredEndpoint>(group);
            foreach (var slot in working.Where(w => w.PortsKey == group.Key && w.Endpoints.Count > 0).OrderByDescending(w => w.Endpoints.Count)
                         .Concat(working.Where(w => w.PortsKey == group.Key && w.Endpoints.Count == 0)))
            {
                while (queue.Count > 0 && slot.Endpoints.Count < MaxEndpointsPerSlice)
                {
                    slot.Endpoints.Add(queue.Dequeue().Endpoint);
                }
            }

            // Empty slices with other ports can be reused for this group instead of being deleted and created again.
            foreach (var index in Enumerable.Range(0, working.Count))
            {
                var slot = working[index];
                if (queue.Count == 0)
                {
                    break;
                }

                if (slot.Endpoints.Count == 0 && slot.PortsKey != group.Key && !desired.Any(d => d.PortsKey == slot.PortsKey))
                {
                    var ports = group.First().Ports;
                    slot.Slice.Ports = ports;
                    working[index] = (slot.Original, slot.Slice, group.Key, slot.Endpoints);
                    while (queue.Count > 0 && slot.Endpoints.Count < MaxEndpointsPerSlice)
                    {
                        slot.Endpoints.Add(queue.Dequeue().Endpoint);
                    }
                }
            }

            while (queue.Count > 0)
            {
                var endpoints = new List<Endpoint>();
                while (queue.Count > 0 && endpoints.Count < MaxEndpointsPerSlice)
                {
                    endpoints.Add(queue.Dequeue().Endpoint);
                }

                create.Add((NewSlice(service, addressType, labels, group.First().Ports), group.Key, endpoints));
            }
        }

        var update = new List<Slice>();
        var keepPlaceholder = desired.Count == 0 && create.Count == 0;
        foreach (var (original, slice, _, endpoints) in working)
        {
            if (endpoints.Count == 0)
            {
                if (keepPlaceholder)
                {
                    keepPlaceholder = false;
                    slice.Ports = null;
                }
                else
                {
                    delete.Add(original);
                    continue;
                }
            }

            slice.Endpoints = endpoints.Count == 0 ? null : endpoints;
            slice.Metadata!.Labels = MergeLabels(original.Metadata?.Labels, labels);
            slice.Metadata.OwnerReferences = [Owner(service)];
            if (!Same(original, slice))
            {
                update.Add(slice);
            }
        }

        var created = create.Select(c =>
        {
            c.Slice.Endpoints = c.Endpoints;
            return c.Slice;
        }).ToList();
        if (keepPlaceholder)
        {
            created.Add(NewSlice(service, addressType, labels, null));
        }

        return new SlicePlan(created, update, delete);
    }

    private static Slice NewSlice(Service service, string addressType, Dictionary<string, string> labels, List<SlicePort>? ports) => new()
    {
        Metadata = new ObjectMeta
        {
            GenerateName = $"{service.Metadata!.Name}-",
            Namespace = service.Metadata.Namespace,
            Labels = new Dictionary<string, string>(labels),
            OwnerReferences = [Owner(service)],
        },
        AddressType = addressType,
        Ports = ports,
    };

    private static OwnerReference Owner(Service service) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Name = service.Metadata!.Name,
        Uid = service.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    /// <summary>The service's labels, plus the service name, this manager and (headless services) the headless label.</summary>
    private static Dictionary<string, string> SliceLabels(Service service)
    {
        var labels = new Dictionary<string, string>(service.Metadata?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [ServiceNameLabel] = service.Metadata!.Name!,
            [ManagedByLabel] = ManagedBy,
        };
        if (service.Spec?.ClusterIP == "None")
        {
            labels[EndpointsController.HeadlessLabel] = "";
        }
        else
        {
            labels.Remove(EndpointsController.HeadlessLabel);
        }

        return labels;
    }

    private static Dictionary<string, string> MergeLabels(IDictionary<string, string>? current, Dictionary<string, string> wanted) => new(wanted, StringComparer.Ordinal);

    private static string PortsKey(IEnumerable<SlicePort> ports) =>
        string.Join("\u0001", ports.Select(p => $"{p.Name}\0{p.Port}\0{p.Protocol}\0{p.AppProtocol}").Order(StringComparer.Ordinal));

    private static bool Same(Slice a, Slice b) =>
        a.AddressType == b.AddressType
        && PodEndpoints.SameLabels(a.Metadata?.Labels, b.Metadata?.Labels)
        && Json(a.Metadata?.OwnerReferences) == Json(b.Metadata?.OwnerReferences)
        && Json(a.Ports is { Count: > 0 } ? a.Ports : null) == Json(b.Ports is { Count: > 0 } ? b.Ports : null)
        && Json(a.Endpoints is { Count: > 0 } ? a.Endpoints : null) == Json(b.Endpoints is { Count: > 0 } ? b.Endpoints : null);

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, KubeJson.Options);
}
