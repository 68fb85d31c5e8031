using System.Net.WebSockets;

namespace Korral.Streaming.RemoteCommand;

/// <summary>
/// Carries one exec or attach session between a client on WebSocket (v5.channel.k8s.io: stdin 0, stdout 1, stderr 2,
/// status 3, resize 4, close 255) and a next hop that speaks SPDY/3.1 (a kubelet relaying containerd's streaming
/// server, which knows protocols up to v4) — what upstream's API server does for kubectl 1.30+. A client on
/// v4.channel.k8s.io works too (it only lacks the close channel, so its stdin cannot be ended).
/// </summary>
public static class WebSocketToSpdy
{
    /// <summary>The channel protocols offered to the next hop, in order.</summary>
    public static IReadOnlyList<string> UpstreamProtocols { get; } = [StreamProtocols.V4];

    /// <summary>
    /// Runs the session: opens the SPDY streams (error, stdin, stdout, stderr, resize as <paramref name="streams"/> says)
    /// on <paramref name="upstream"/> (already switched to SPDY), copies channels both ways, forwards the status and
    /// closes the WebSocket with 1000 when the command ends. Streams that cannot be opened end the session with an
    /// InternalError status. A client that leaves (or sends a text message, closed with 1003) ends the SPDY session.
    /// <paramref name="upstream"/> is closed on return; the WebSocket is closed or aborted but not disposed.
    /// </summary>
    public static Task RunAsync(WebSocket client, Stream upstream, RemoteCommandStreams streams, CancellationToken cancellationToken) =>
        RunAsync(client, upstream, streams, WebSocketToSpdyOptions.Default, cancellationToken);

    /// <summary>
    /// Ends a session whose next hop refused to switch to SPDY, as upstream's translator does after accepting the
    /// client: the refusal's Status object as it came, or an InternalError "unable to upgrade connection: …" with the
    /// refusal's text (client-go's wording), on the status channel, then close 1000.
    /// </summary>
    public static async Task RefuseAsync(WebSocket client, ReadOnlyMemory<byte> refusal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var status = RemoteCommandStatus.IsStatus(refusal.Span)
            ? refusal.ToArray()
            : RemoteCommandStatus.InternalError($"unable to upgrade connection: {System.Text.Encoding.UTF8.GetString(refusal.Span).Trim()}");
        using var sender = new WebSocketChannelSender(client);
        try
        {
            await sender.SendAsync(RemoteCommandChannels.Status, status, cancellationToken);
            await sender.CloseAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
        }
        catch (Exception e) when (e is WebSocketException or IOException)
        {
            // The client went away: nothing left to tell it.
        }
    }

    internal static Task RunAsync(
        WebSocket client,
        Stream upstream,
        RemoteCommandStreams streams,
        WebSocketToSpdyOptions options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(upstream);
        ArgumentNullException.ThrowIfNull(streams);
        return new WebSocketToSpdySession(client, upstream, streams, options).RunAsync(cancellationToken);
    }
}
