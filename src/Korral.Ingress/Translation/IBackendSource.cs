using Korral.Api.Models.CoreV1;
using Korral.Api.Models.DiscoveryV1;

namespace Korral.Ingress.Translation;

/// <summary>The Services and EndpointSlices the translation reads (informer caches in the controller, lists in tests).</summary>
public interface IBackendSource
{
    Service? Service(string ns, string name);

    /// <summary>The slices labelled kubernetes.io/service-name=<paramref name="service"/> in <paramref name="ns"/>.</summary>
    IReadOnlyList<EndpointSlice> EndpointSlices(string ns, string service);
}
