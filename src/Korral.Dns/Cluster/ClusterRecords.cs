using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.DiscoveryV1;

namespace Korral.Dns.Cluster;

/// <summary>
/// The in-memory index the cluster zone is answered from, kept in step with Services, EndpointSlices (discovery.k8s.io/v1),
/// Namespaces and, for verified pod records, Pods. Each change rebuilds only the one Service it touches and swaps it in,
/// so an answer reflects a watch event as soon as the informer delivers it. Writers take one lock; readers never do.
/// Feed it with <see cref="Watch"/> (informers) or, in tests, with the Set/Remove methods and <see cref="MarkSynced"/>.
/// </summary>
public sealed partial class ClusterRecords : IDnsRecords
{
    /// <summary>The label an EndpointSlice names its Service with.</summary>
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string Namespace, string Name), ServiceEntry> _entries = new();
    private readonly ConcurrentDictionary<IPAddress, ReverseEntry[]> _reverse = new();
    private readonly ConcurrentDictionary<string, byte> _namespaces = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Namespace, IPAddress Address), int> _podAddresses = new();

    // The sources, changed under _lock only.
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Namespace, string Name), Service> _services = [];
    private readonly Dictionary<(string Namespace, string Service), Dictionary<string, EndpointSlice>> _slices = [];
    private readonly Dictionary<(string Namespace, string Slice), string> _sliceOwners = [];
    private readonly Dictionary<(string Namespace, string Name), IPAddress[]> _pods = [];
    private long _serial;
    private volatile bool _synced;

    public ClusterRecords(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        Touch();
    }

    public bool HasSynced => _synced || CheckRegistrationsSynced();

    public uint Serial => (uint)Interlocked.Read(ref _serial);

    /// <summary>Services indexed (for tests and metrics).</summary>
    public int ServiceCount => _entries.Count;

    public ServiceEntry? FindService(string @namespace, string name) => _entries.GetValueOrDefault((@namespace, name));

    public bool NamespaceExists(string @namespace) => _namespaces.ContainsKey(@namespace);

    public IReadOnlyList<ReverseEntry> FindAddress(IPAddress address) => _reverse.TryGetValue(address, out var names) ? names : [];

    public bool PodExists(string @namespace, IPAddress address) => _podAddresses.ContainsKey((@namespace, address));

    /// <summary>Declares the sources complete (tests that feed the index by hand).</summary>
    public void MarkSynced() => _synced = true;

    public void SetService(Service service)
    {
        if (Key(service.Metadata) is not { } key)
        {
            return;
        }

        lock (_lock)
        {
            _services[key] = service;
            Publish(key);
        }
    }

    public void RemoveService(Service service)
    {
        if (Key(service.Metadata) is not { } key)
        {
            return;
        }

        lock (_lock)
        {
            if (_services.Remove(key))
            {
                Publish(key);
            }
        }
    }

    public void SetEndpointSlice(EndpointSlice slice)
    {
        if (Key(slice.Metadata) is not { } key)
        {
            return;
        }

        var owner = slice.Metadata!.Labels?.TryGetValue(ServiceNameLabel, out var name) == true && name.Length > 0 ? name : null;
        lock (_lock)
        {
            // A slice whose service-name label changed leaves its old Service first.
            if (_sliceOwners.TryGetValue(key, out var previous) && previous != owner)
            {
                DetachSlice(key, previous);
            }

            if (owner is null)
            {
                return;
            }

            _sliceOwners[key] = owner;
            var serviceKey = (key.Namespace, owner);
            if (!_slices.TryGetValue(serviceKey, out var slices))
            {
                _slices[serviceKey] = slices = new Dictionary<string, EndpointSlice>(StringComparer.Ordinal);
            }

            slices[key.Name] = slice;
            Publish(serviceKey);
        }
    }

    public void RemoveEndpointSlice(EndpointSlice slice)
    {
        if (Key(slice.Metadata) is not { } key)
        {
            return;
        }

        lock (_lock)
        {
            if (_sliceOwners.TryGetValue(key, out var owner))
            {
                DetachSlice(key, owner);
            }
        }
    }

    public void SetNamespace(Namespace ns)
    {
        if (ns.Metadata?.Name is { Length: > 0 } name && _namespaces.TryAdd(name, 0))
        {
            Touch();
        }
    }

    public void RemoveNamespace(Namespace ns)
    {
        if (ns.Metadata?.Name is { Length: > 0 } name && _namespaces.TryRemove(name, out _))
        {
            Touch();
        }
    }

    public void SetPod(Pod pod)
    {
        if (Key(pod.Metadata) is not { } key)
        {
            return;
        }

        var addresses = pod.Status?.Phase is "Succeeded" or "Failed" ? [] : PodAddresses(pod);
        lock (_lock)
        {
            ReplacePodAddresses(key, addresses);
        }
    }

    public void RemovePod(Pod pod)
    {
        if (Key(pod.Metadata) is not { } key)
        {
            return;
        }

        lock (_lock)
        {
            ReplacePodAddresses(key, []);
        }
    }

    private static (string Namespace, string Name)? Key(Korral.Api.Models.MetaV1.ObjectMeta? metadata) =>
        metadata is { Namespace: { Length: > 0 } ns, Name: { Length: > 0 } name } ? (ns, name) : null;

    private void DetachSlice((string Namespace, string Slice) key, string owner)
    {
        _sliceOwners.Remove(key);
        var serviceKey = (key.Namespace, owner);
        if (_slices.TryGetValue(serviceKey, out var slices) && slices.Remove(key.Slice))
        {
            if (slices.Count == 0)
            {
                _slices.Remove(serviceKey);
            }

            Publish(serviceKey);
        }
    }

    /// <summary>Rebuilds one Service's entry from its sources and swaps it (and its PTR names) in. Under _lock.</summary>
    private void Publish((string Namespace, string Name) key)
    {
        _entries.TryGetValue(key, out var old);
        ServiceEntry? entry = null;
        if (_services.TryGetValue(key, out var service))
        {
            entry = ServiceEntries.Build(service, _slices.TryGetValue(key, out var slices) ? slices.Values : []);
            _entries[key] = entry;
        }
        else
        {
            _entries.TryRemove(key, out _);
        }

        if (old is not null)
        {
            foreach (var (address, _) in ReverseNames(old))
            {
                var kept = _reverse.TryGetValue(address, out var names)
                    ? names.Where(n => n.Service != old.Name || n.Namespace != old.Namespace).ToArray()
                    : [];
                if (kept.Length == 0)
                {
                    _reverse.TryRemove(address, out _);
                }
                else
                {
                    _reverse[address] = kept;
                }
            }
        }

        if (entry is not null)
        {
            foreach (var (address, name) in ReverseNames(entry))
            {
                _reverse[address] = _reverse.TryGetValue(address, out var names) ? [.. names, name] : [name];
            }
        }

        Touch();
    }

    private static IEnumerable<(IPAddress Address, ReverseEntry Name)> ReverseNames(ServiceEntry entry)
    {
        foreach (var ip in entry.ClusterIPs)
        {
            yield return (ip, new ReverseEntry(null, entry.Name, entry.Namespace));
        }

        foreach (var endpoint in entry.Endpoints)
        {
            yield return (endpoint.Address, new ReverseEntry(endpoint.Hostname, entry.Name, entry.Namespace));
        }
    }

    private void ReplacePodAddresses((string Namespace, string Name) key, IPAddress[] addresses)
    {
        if (_pods.TryGetValue(key, out var old))
        {
            foreach (var address in old)
            {
                var counted = (key.Namespace, address);
                if (_podAddresses.TryGetValue(counted, out var count) && count > 1)
                {
                    _podAddresses[counted] = count - 1;
                }
                else
                {
                    _podAddresses.TryRemove(counted, out _);
                }
            }
        }

        if (addresses.Length == 0)
        {
            _pods.Remove(key);
        }
        else
        {
            _pods[key] = addresses;
            foreach (var address in addresses)
            {
                _podAddresses.AddOrUpdate((key.Namespace, address), 1, (_, count) => count + 1);
            }
        }

        Touch();
    }

    private static IPAddress[] PodAddresses(Pod pod)
    {
        var texts = pod.Status?.PodIPs is { Count: > 0 } ips ? ips.Select(p => p.Ip) : [pod.Status?.PodIP];
        return texts.Select(t => IPAddress.TryParse(t, out var a) && a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6 ? a : null)
            .OfType<IPAddress>().Distinct().ToArray();
    }

    private void Touch()
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        Interlocked.Exchange(ref _serial, Math.Clamp(now, 0, uint.MaxValue));
    }
}
