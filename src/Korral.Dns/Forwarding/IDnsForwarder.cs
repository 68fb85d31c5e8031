namespace Korral.Dns.Forwarding;

/// <summary>Resolves names outside the cluster zone elsewhere.</summary>
public interface IDnsForwarder
{
    /// <summary>
    /// Sends <paramref name="query"/> (wire format) on and returns the response with the query's id, or null when no
    /// upstream answered in time. With <paramref name="transport"/> TCP a truncated UDP answer is fetched again over
    /// TCP; for a UDP client it is returned as it is, so that the client retries over TCP itself.
    /// </summary>
    ValueTask<byte[]?> ForwardAsync(ReadOnlyMemory<byte> query, DnsTransport transport, CancellationToken cancellationToken);
}
