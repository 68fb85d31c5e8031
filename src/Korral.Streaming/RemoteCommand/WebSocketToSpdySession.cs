using System.Net.WebSockets;
using Korral.Streaming.Spdy;

namespace Korral.Streaming.RemoteCommand;

/// <summary>
/// One exec/attach session translated from WebSocket channels to SPDY streams (see <see cref="WebSocketToSpdy"/>).
/// Three things run at once: the client's messages go to stdin/resize, stdout and stderr come back as channel 1 and 2,
/// and the error stream is collected. The command has ended when stdout, stderr and the error stream have all ended
/// (containerd FINs the output streams, writes the status, then resets the rest): only then is the status sent, so it
/// follows all output, as client-go's executor orders it.
/// </summary>
internal sealed class WebSocketToSpdySession(
    WebSocket client,
    Stream upstream,
    RemoteCommandStreams streams,
    WebSocketToSpdyOptions options)
{
    private const int ReceiveBufferSize = 32 * 1024;
    private const int OutputBufferSize = 32 * 1024;

    private enum ClientEnd
    {
        Closed,
        TextMessage,
        Gone,
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var sender = new WebSocketChannelSender(client);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var connection = SpdyConnection.Client(upstream, options.Spdy);
        var pumps = new List<Task>();
        try
        {
            UpstreamStreams opened;
            try
            {
                opened = await OpenAsync(connection, stop.Token);
            }
            catch (Exception e) when (e is IOException or TimeoutException)
            {
                var failure = RemoteCommandStatus.InternalError($"error creating streams to the container runtime: {e.Message}");
                if (await FinishAsync(sender, failure, stop.Token))
                {
                    // Nothing to forward: the client's messages are read only to see its close.
                    var draining = PumpClientAsync(opened: null, stop.Token);
                    pumps.Add(draining);
                    await AwaitClientCloseAsync(draining);
                }

                return;
            }

            var fromClient = PumpClientAsync(opened, stop.Token);
            var stdout = PumpOutputAsync(sender, opened.Stdout, RemoteCommandChannels.Stdout, stop.Token);
            var stderr = PumpOutputAsync(sender, opened.Stderr, RemoteCommandChannels.Stderr, stop.Token);
            var status = ReadStatusAsync(opened.Error, stop.Token);
            var command = Task.WhenAll(stdout, stderr, status);
            pumps.AddRange([fromClient, command]);

            await Task.WhenAny(fromClient, command);
            if (command.IsCompletedSuccessfully)
            {
                var content = await status;
                var message = content.Length == 0 && connection.Error is { } broken
                    ? RemoteCommandStatus.InternalError($"the connection to the container runtime failed: {broken.Message}")
                    : RemoteCommandStatus.FromErrorStream(content);
                if (await FinishAsync(sender, message, stop.Token))
                {
                    await AwaitClientCloseAsync(fromClient);
                }
            }
            else
            {
                // The client left, broke the protocol, or could not be written to: the command's output has nowhere
                // to go, so upstream is torn down (finally) and the client's close is answered if it sent one.
                var end = fromClient.IsCompleted ? await fromClient : ClientEnd.Gone;
                var (code, reason) = end == ClientEnd.TextMessage
                    ? (WebSocketCloseStatus.InvalidMessageType, "text messages are not part of the protocol")
                    : (WebSocketCloseStatus.NormalClosure, (string?)null);
                await CloseQuietlyAsync(sender, code, reason, stop.Token);
            }
        }
        finally
        {
            await stop.CancelAsync();
            // Graceful (streams reset, GOAWAY) unless upstream has stopped reading; then just closed.
            using (var closing = new CancellationTokenSource(options.CloseTimeout, options.Spdy.TimeProvider))
            {
                await connection.CloseAsync(closing.Token);
            }

            await Task.WhenAll(pumps.Select(p => p.ContinueWith(static _ => { }, TaskScheduler.Default)));
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Opens the streams in client-go's order, each after the previous one's SYN_REPLY.</summary>
    private async Task<UpstreamStreams> OpenAsync(SpdyConnection connection, CancellationToken cancellationToken)
    {
        Task<SpdyStream> Open(string type) =>
            connection.OpenStreamAsync(new SpdyHeaders { { RemoteCommandStreamTypes.Header, type } }, cancellationToken);

        var error = await Open(RemoteCommandStreamTypes.Error);
        var stdin = streams.Stdin ? await Open(RemoteCommandStreamTypes.Stdin) : null;
        var stdout = streams.Stdout ? await Open(RemoteCommandStreamTypes.Stdout) : null;
        var stderr = streams.Stderr && !streams.Tty ? await Open(RemoteCommandStreamTypes.Stderr) : null;
        var resize = streams.Tty ? await Open(RemoteCommandStreamTypes.Resize) : null;
        return new UpstreamStreams(error, stdin, stdout, stderr, resize);
    }

    /// <summary>Client messages → stdin, resize, and the end of stdin; returns how the client stopped sending.</summary>
    private async Task<ClientEnd> PumpClientAsync(UpstreamStreams? opened, CancellationToken cancellationToken)
    {
        var buffer = new byte[ReceiveBufferSize];
        var channel = -1;
        try
        {
            while (true)
            {
                var result = await client.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return ClientEnd.Closed;
                }

                if (result.MessageType == WebSocketMessageType.Text)
                {
                    return ClientEnd.TextMessage;
                }

                // A message may come in pieces: its first byte names the channel of all of them.
                var data = buffer.AsMemory(0, result.Count);
                if (channel < 0 && !data.IsEmpty)
                {
                    channel = data.Span[0];
                    data = data[1..];
                }

                if (channel >= 0 && opened is not null)
                {
                    await ForwardAsync(opened, channel, data, cancellationToken);
                }

                if (result.EndOfMessage)
                {
                    channel = -1;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException)
        {
            return ClientEnd.Gone;
        }
    }

    private static async Task ForwardAsync(UpstreamStreams opened, int channel, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var (target, close) = channel switch
        {
            RemoteCommandChannels.Stdin => (opened.Stdin, false),
            RemoteCommandChannels.Resize => (opened.Resize, false),
            RemoteCommandChannels.Close when !data.IsEmpty && data.Span[0] == RemoteCommandChannels.Stdin => (opened.Stdin, true),
            _ => (null, false),
        };
        if (target is null)
        {
            return;
        }

        try
        {
            if (close)
            {
                await target.CloseWriteAsync(cancellationToken);
            }
            else
            {
                await target.WriteAsync(data, cancellationToken);
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // The runtime closed or reset the stream, or stdin was closed before: like client-go, input is dropped.
        }
    }

    /// <summary>stdout or stderr → its channel, until the stream ends.</summary>
    private static async Task PumpOutputAsync(WebSocketChannelSender sender, SpdyStream? stream, byte channel, CancellationToken cancellationToken)
    {
        if (stream is null)
        {
            return;
        }

        var buffer = new byte[OutputBufferSize + 1];
        buffer[0] = channel;
        int n;
        while ((n = await stream.ReadAsync(buffer.AsMemory(1), cancellationToken)) > 0)
        {
            await sender.SendAsync(buffer.AsMemory(0, n + 1), cancellationToken);
        }
    }

    private async Task<byte[]> ReadStatusAsync(SpdyStream stream, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream();
        var buffer = new byte[4096];
        int n;
        while ((n = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (content.Length < options.MaxStatusSize)
            {
                content.Write(buffer, 0, n);
            }
        }

        return content.ToArray();
    }

    /// <summary>Status on channel 3, then close 1000; false when the client is gone already.</summary>
    private static async Task<bool> FinishAsync(WebSocketChannelSender sender, byte[] status, CancellationToken cancellationToken)
    {
        try
        {
            await sender.SendAsync(RemoteCommandChannels.Status, status, cancellationToken);
            await sender.CloseAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task CloseQuietlyAsync(WebSocketChannelSender sender, WebSocketCloseStatus status, string? reason, CancellationToken cancellationToken)
    {
        try
        {
            await sender.CloseAsync(status, reason, cancellationToken);
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException)
        {
            // Gone already.
        }
    }

    /// <summary>After our close, the client answers with its own; a client that does not is cut off.</summary>
    private async Task AwaitClientCloseAsync(Task<ClientEnd> fromClient)
    {
        try
        {
            await fromClient.WaitAsync(options.CloseTimeout, options.Spdy.TimeProvider);
        }
        catch (TimeoutException)
        {
            client.Abort();
        }
    }

    private sealed record UpstreamStreams(SpdyStream Error, SpdyStream? Stdin, SpdyStream? Stdout, SpdyStream? Stderr, SpdyStream? Resize);
}
