using System.Net.WebSockets;

namespace Korral.ApiServer.Http;

/// <summary>
/// The client's end of kubectl 1.31+'s port-forward tunnel (SPDY/3.1+portforward.k8s.io): SPDY frames carried in
/// binary WebSocket messages, whose payloads form one byte stream each way (message boundaries mean nothing), as
/// client-go's TunnelingConnection and upstream's TunnelingHandler treat them.
/// </summary>
internal static class PortForwardTunnel
{
    /// <summary>How long a client may take to answer our close before its connection is dropped.</summary>
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(10);

    private const int BufferSize = 64 * 1024;

    /// <summary>
    /// Carries bytes both ways until either side ends, then closes the WebSocket normally (1000) rather than dropping
    /// it, as upstream's tunnel does: answering the client's close, or starting one when the kubelet ended first.
    /// </summary>
    public static async Task RunAsync(WebSocket client, Stream kubelet, CancellationToken cancellationToken)
    {
        await using var messages = WebSocketStream.Create(client, WebSocketMessageType.Binary, ownsWebSocket: false);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var up = CopyAsync(messages, kubelet, done.Token);
        var down = CopyAsync(kubelet, messages, done.Token);
        var kubeletEnded = await Task.WhenAny(up, down) == down;
        if (!kubeletEnded)
        {
            // No more sending towards the client once it has closed (or gone).
            await done.CancelAsync();
            await down;
        }

        if (client.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var closing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            closing.CancelAfter(CloseTimeout);
            try
            {
                await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", closing.Token);
                if (kubeletEnded)
                {
                    // The client answers with its own close, which ends the copy towards the kubelet.
                    await up.WaitAsync(closing.Token);
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
            {
                // The client went away meanwhile, or never answered: it is let go below.
            }
        }

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
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or WebSocketException)
        {
            // A side went away: the other is let go by the caller.
        }
    }
}
