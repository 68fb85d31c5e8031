namespace Korral.Streaming.Http;

/// <summary>
/// Copies two upgraded connections into each other until either side ends, then lets both go: the protocols carried
/// (SPDY, WebSocket) close their own streams inside the connection, so a half-closed TCP connection means nothing to them.
/// </summary>
public static class DuplexPipe
{
    private const int BufferSize = 64 * 1024;

    /// <summary>Returns when one side has ended (everything it sent was delivered to the other) or on cancellation.</summary>
    public static async Task RunAsync(Stream client, Stream upstream, CancellationToken cancellationToken)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var up = CopyAsync(client, upstream, done.Token);
        var down = CopyAsync(upstream, client, done.Token);
        await Task.WhenAny(up, down);
        await done.CancelAsync();
        await Task.WhenAll(up, down);
    }

    private static async Task CopyAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        try
        {
            int n;
            while ((n = await from.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
                await to.FlushAsync(cancellationToken);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // A side went away: the other is let go by the caller.
        }
    }
}
