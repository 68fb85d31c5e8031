using Korral.Api.Models.CoreV1;
using Korral.Api.Models.DiscoveryV1;
using Korral.Proxy.Sync;

namespace Korral.Proxy.Tests.Fixtures;

/// <summary>Services and slices in dictionaries, for driving a <see cref="ProxySyncer"/> without an API server.</summary>
public sealed class MemorySource : IProxySource
{
    private readonly Dictionary<string, Service> _services = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<EndpointSlice>> _slices = new(StringComparer.Ordinal);

    public IEnumerable<string> ServiceKeys() => [.. _services.Keys];

    public Service? Service(string key) => _services.GetValueOrDefault(key);

    public IReadOnlyList<EndpointSlice> SlicesOf(string key) => _slices.TryGetValue(key, out var list) ? list : [];

    /// <summary>Sets (or replaces) a service and its slices; returns its key.</summary>
    public string Set(Service service, params EndpointSlice[] slices)
    {
        var key = $"{service.Metadata!.Namespace}/{service.Metadata.Name}";
        _services[key] = service;
        _slices[key] = [.. slices];
        return key;
    }

    public string Remove(string name)
    {
        var key = $"default/{name}";
        _services.Remove(key);
        _slices.Remove(key);
        return key;
    }
}
