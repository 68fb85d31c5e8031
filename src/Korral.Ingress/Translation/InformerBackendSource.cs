using Korral.Api.Models.CoreV1;
using Korral.Api.Models.DiscoveryV1;
using Korral.Client.Informers;

namespace Korral.Ingress.Translation;

/// <summary>Services and EndpointSlices from the informers' caches; slices are indexed by the Service they belong to.</summary>
internal sealed class InformerBackendSource : IBackendSource
{
    public const string ServiceNameLabel = "kubernetes.io/service-name";
    private const string ByService = "ingress.korral.io/service";

    private readonly SharedInformer<Service> _services;
    private readonly SharedInformer<EndpointSlice> _slices;

    public InformerBackendSource(SharedInformer<Service> services, SharedInformer<EndpointSlice> slices)
    {
        _services = services;
        _slices = slices;
        if (!slices.Indexer.HasIndex(ByService))
        {
            slices.Indexer.AddIndex(ByService, s => ServiceKeyOf(s) is { } key ? [key] : []);
        }
    }

    /// <summary>"namespace/service" of the Service a slice belongs to, from its kubernetes.io/service-name label.</summary>
    public static string? ServiceKeyOf(EndpointSlice slice) =>
        slice.Metadata?.Labels is { } labels && labels.TryGetValue(ServiceNameLabel, out var name) && !string.IsNullOrEmpty(name)
            ? $"{slice.Metadata.Namespace}/{name}"
            : null;

    public Service? Service(string ns, string name) => _services.Lister.Get(ns, name);

    public IReadOnlyList<EndpointSlice> EndpointSlices(string ns, string service) => _slices.Indexer.ByIndex(ByService, $"{ns}/{service}");
}
