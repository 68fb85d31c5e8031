using System.Net.WebSockets;
using System.Text;

namespace Korral.Kubelet.Tests.Streaming;

/// <summary>
/// A client's view of a channel.k8s.io WebSocket session (what containerd's streaming server speaks): every message is
/// binary and its first byte names the channel — exec/attach 0 stdin, 1 stdout, 2 stderr, 3 status, 4 resize;
/// port-forward 2n data and 2n+1 error for the n-th port. Received messages are kept per channel.
/// </summary>
public sealed class ChannelSession(WebSocket socket) : IDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly Dictionary<int, List<byte[]>> _received = [];

    /// <summary>How the server closed the session, once it did.</summary>
    public WebSocketCloseStatus? CloseStatus => socket.CloseStatus;

    public Task SendAsync(int channel, string text) => SendAsync(channel, Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(int channel, byte[] data)
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await socket.SendAsync((byte[])[(byte)channel, .. data], WebSocketMessageType.Binary, endOfMessage: true, timeout.Token);
    }

    /// <summary>The messages received on a channel, without the channel byte.</summary>
    public IReadOnlyList<byte[]> Messages(int channel) => _received.GetValueOrDefault(channel) ?? [];

    /// <summary>Everything received on a channel as UTF-8 text.</summary>
    public string Text(int channel) => Encoding.UTF8.GetString([.. Messages(channel).SelectMany(m => m)]);

    /// <summary>Receives until the server closes the session.</summary>
    public async Task ReadToEndAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (await ReceiveAsync(cancel.Token))
        {
        }
    }

    /// <summary>Receives until a channel's text satisfies <paramref name="done"/>; fails with what arrived on timeout or close.</summary>
    public async Task WaitForAsync(int channel, Func<string, bool> done, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            while (!done(Text(channel)))
            {
                if (!await ReceiveAsync(cancel.Token))
                {
                    Assert.Fail($"the session closed ({CloseStatus}) before channel {channel} had what was expected; it has: {Text(channel)}; status channel: {Text(3)}");
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Assert.Fail($"channel {channel} did not get what was expected in time; it has: {Text(channel)}");
        }
    }

    /// <summary>Receives one message; false once the server closed the session (the close is answered).</summary>
    private async Task<bool> ReceiveAsync(CancellationToken cancellationToken)
    {
        using var message = new MemoryStream();
        var buffer = new byte[16 * 1024];
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
                return false;
            }

            Assert.Equal(WebSocketMessageType.Binary, result.MessageType);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        var bytes = message.ToArray();
        if (bytes.Length > 0)
        {
            if (!_received.TryGetValue(bytes[0], out var list))
            {
                _received[bytes[0]] = list = [];
            }

            list.Add(bytes[1..]);
        }

        return true;
    }

    public void Dispose() => socket.Dispose();
}
