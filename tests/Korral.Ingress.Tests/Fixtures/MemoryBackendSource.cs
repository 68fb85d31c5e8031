using Korral.Api.Models.CoreV1;
using Korral.Api.Models.DiscoveryV1;
using Korral.Ingress.Translation;

namespace Korral.Ingress.Tests.Fixtures;

/// <summary>Services and EndpointSlices of a test case.</summary>
public sealed class MemoryBackendSource(ClusterObjects objects) : IBackendSource
{
    public Service? Service(string ns, string name) =>
        objects.Services.FirstOrDefault(s => s.Metadata?.Namespace == ns && s.Metadata.Name == name);

    public IReadOnlyList<EndpointSlice> EndpointSlices(string ns, string service) =>
        [.. objects.EndpointSlices.Where(s => s.Metadata?.Namespace == ns && s.Metadata.Labels is { } labels && labels.TryGetValue("kubernetes.io/service-name", out var owner) && owner == service)];
}
