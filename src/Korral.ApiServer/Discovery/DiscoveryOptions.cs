namespace Korral.ApiServer.Discovery;

/// <summary>Settings of the discovery documents.</summary>
public sealed record DiscoveryOptions
{
    /// <summary>
    /// The "host:port" clients should use, advertised in /api's serverAddressByClientCIDRs for 0.0.0.0/0 as upstream
    /// does; null leaves the list out (kubectl does not need it).
    /// </summary>
    public string? ServerAddress { get; init; }
}
