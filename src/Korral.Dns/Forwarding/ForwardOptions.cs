using System.Net;

namespace Korral.Dns.Forwarding;

/// <summary>Where and how long <see cref="UpstreamForwarder"/> asks; the timeouts are CoreDNS forward's.</summary>
public sealed record ForwardOptions
{
    public IReadOnlyList<IPEndPoint> Upstreams { get; init; } = [];

    /// <summary>How long one upstream gets to answer before the next is tried.</summary>
    public TimeSpan TryTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a query may take in all; then the client gets SERVFAIL.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(5);

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public Action<string>? Log { get; init; }
}
