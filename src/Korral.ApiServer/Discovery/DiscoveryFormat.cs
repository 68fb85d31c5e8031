namespace Korral.ApiServer.Discovery;

/// <summary>The body format of a /api or /apis answer, chosen from the Accept header by <see cref="DiscoveryNegotiation"/>.</summary>
public enum DiscoveryFormat
{
    /// <summary>APIVersions (/api) or APIGroupList (/apis) as plain application/json.</summary>
    Legacy,

    /// <summary>APIGroupDiscoveryList, apiVersion apidiscovery.k8s.io/v2 (kubectl 1.30+).</summary>
    AggregatedV2,

    /// <summary>APIGroupDiscoveryList, apiVersion apidiscovery.k8s.io/v2beta1 (kubectl 1.27–1.29).</summary>
    AggregatedV2Beta1,

    /// <summary>The client accepts none of the above: answer 406.</summary>
    NotAcceptable,
}
