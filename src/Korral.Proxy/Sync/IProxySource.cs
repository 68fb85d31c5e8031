using Korral.Api.Models.CoreV1;
using Korral.Api.Models.DiscoveryV1;

namespace Korral.Proxy.Sync;

/// <summary>Where a sync reads Services and EndpointSlices from: the informer caches on a node, a dictionary in tests.</summary>
public interface IProxySource
{
    /// <summary>Keys ("namespace/name") of every Service known.</summary>
    IEnumerable<string> ServiceKeys();

    /// <summary>The Service <paramref name="key"/>, null when it does not exist.</summary>
    Service? Service(string key);

    /// <summary>The EndpointSlices labelled with the Service <paramref name="key"/>.</summary>
    IReadOnlyList<EndpointSlice> SlicesOf(string key);
}
