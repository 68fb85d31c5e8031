using Korral.Api.Models.CoreV1;
using Korral.Api.Models.DiscoveryV1;
using Korral.Client;
using Korral.Client.Informers;
using Korral.Proxy.Rules;

namespace Korral.Proxy.Sync;

/// <summary>Services and EndpointSlices from shared informers; slices indexed by their Service's key.</summary>
public sealed class InformerProxySource : IProxySource
{
    /// <summary>The index of EndpointSlices by "namespace/service" (kubernetes.io/service-name label).</summary>
    public const string ServiceIndex = "korral-proxy/service";

    private readonly SharedInformer<Service> _services;
    private readonly SharedInformer<EndpointSlice> _slices;

    public InformerProxySource(SharedInformer<Service> services, SharedInformer<EndpointSlice> slices)
    {
        _services = services;
        _slices = slices;
        if (!slices.Indexer.HasIndex(ServiceIndex))
        {
            try
            {
                slices.Indexer.AddIndex(ServiceIndex, s => ServiceKeyOf(s) is { } key ? [key] : []);
            }
            catch (InvalidOperationException)
            {
                // Another proxy source on the same factory added it meanwhile: same index.
            }
        }
    }

    /// <summary>"namespace/service" of a slice, from its kubernetes.io/service-name label; null without one.</summary>
    public static string? ServiceKeyOf(EndpointSlice slice) =>
        slice.Metadata?.Labels?.TryGetValue(ServiceCompiler.ServiceNameLabel, out var name) == true
            ? ObjectKey.Of(slice.Metadata.Namespace, name)
            : null;

    public IEnumerable<string> ServiceKeys() => _services.Indexer.ListKeys();

    public Service? Service(string key) => _services.Indexer.Get(key);

    public IReadOnlyList<EndpointSlice> SlicesOf(string key) => _slices.Indexer.ByIndex(ServiceIndex, key);
}
