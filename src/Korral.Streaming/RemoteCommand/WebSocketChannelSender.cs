using System.Net.WebSockets;

namespace Korral.Streaming.RemoteCommand;

/// <summary>Sends the channel messages and the close of one WebSocket, one at a time (WebSocket sends must not overlap).</summary>
internal sealed class WebSocketChannelSender(WebSocket socket) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Sends one binary message whose first byte is already its channel.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await socket.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task SendAsync(byte channel, ReadOnlySpan<byte> payload, CancellationToken cancellationToken)
    {
        var message = new byte[payload.Length + 1];
        message[0] = channel;
        payload.CopyTo(message.AsSpan(1));
        return SendAsync(message, cancellationToken);
    }

    /// <summary>Sends the close frame (the client's answer is read by whoever receives).</summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string? description, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(status, description, cancellationToken);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
