using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.DiscoveryV1;
using Korral.Api.Models.MetaV1;
using Korral.Proxy.Sync;

namespace Korral.Bench.Proxy;

/// <summary>N ClusterIP services (every tenth a NodePort) with M ready endpoints each, spread over 3 nodes.</summary>
internal sealed class SyntheticCluster : IProxySource
{
    private readonly Dictionary<string, Service> _services = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EndpointSlice[]> _slices = new(StringComparer.Ordinal);

    public SyntheticCluster(int services, int endpoints)
    {
        for (var i = 0; i < services; i++)
        {
            var name = $"svc-{i:D5}";
            var nodePort = i % 10 == 0;
            _services[$"bench/{name}"] = new Service
            {
                Metadata = new ObjectMeta { Namespace = "bench", Name = name, ResourceVersion = "1" },
                Spec = new ServiceSpec
                {
                    Type = nodePort ? "NodePort" : "ClusterIP",
                    ClusterIP = $"10.96.{i / 250}.{(i % 250) + 1}",
                    Ports = [new ServicePort { Name = "http", Port = 80, TargetPort = IntOrString.FromInt(8080), Protocol = "TCP", NodePort = nodePort ? 30000 + i : null }],
                },
            };
            _slices[$"bench/{name}"] = [Slice(name, i, endpoints, generation: 0)];
        }
    }

    public IEnumerable<string> ServiceKeys() => _services.Keys;

    public Service? Service(string key) => _services.GetValueOrDefault(key);

    public IReadOnlyList<EndpointSlice> SlicesOf(string key) => _slices.TryGetValue(key, out var s) ? s : [];

    /// <summary>Replaces the last endpoint of service <paramref name="index"/> (a pod replaced); returns its key.</summary>
    public string ReplaceOneEndpoint(int index, int endpoints, int generation)
    {
        var name = $"svc-{index:D5}";
        _slices[$"bench/{name}"] = [Slice(name, index, endpoints, generation)];
        return $"bench/{name}";
    }

    private static EndpointSlice Slice(string service, int index, int endpoints, int generation) => new()
    {
        Metadata = new ObjectMeta
        {
            Namespace = "bench",
            Name = $"{service}-x",
            Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = service },
        },
        AddressType = "IPv4",
        Ports = [new Korral.Api.Models.DiscoveryV1.EndpointPort { Name = "http", Port = 8080, Protocol = "TCP" }],
        Endpoints = [.. Enumerable.Range(0, endpoints).Select(e =>
        {
            // Pod addresses are unique per service and endpoint; the replaced endpoint takes a new one per generation.
            var n = (index * endpoints) + e + (e == endpoints - 1 ? generation * 1_000_000 : 0);
            return new Endpoint
            {
                Addresses = [$"10.{40 + (n >> 16 & 0x3f)}.{(n >> 8) & 0xff}.{n & 0xff}"],
                NodeName = $"node-{e % 3}",
                Conditions = new EndpointConditions { Ready = true, Serving = true, Terminating = false },
            };
        })],
    };
}
