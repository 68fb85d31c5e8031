using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Korral.Streaming.Http;
using Korral.Streaming.Tests.Http;
using Korral.Streaming.WebSockets;

namespace Korral.Streaming.Tests.WebSockets;

public sealed class WebSocketHandshakeTests
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token;

    [Fact]
    public void The_accept_value_is_rfc_6455s()
    {
        // The example of RFC 6455 §1.3.
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketHandshake.AcceptValue("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    [Fact]
    public async Task Accepts_with_the_chosen_subprotocol_and_carries_binary_messages()
    {
        IReadOnlyList<string> offered = [];
        await using var server = await RelayServer.StartAsync(async context =>
        {
            offered = WebSocketHandshake.OfferedProtocols(context.Request);
            using var socket = await WebSocketHandshake.AcceptAsync(context, "v5.channel.k8s.io");
            var buffer = new byte[1024];
            var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
            await socket.SendAsync(buffer.AsMemory(0, received.Count), WebSocketMessageType.Binary, true, context.RequestAborted);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", context.RequestAborted);
        });

        using var client = new ClientWebSocket();
        client.Options.AddSubProtocol("v5.channel.k8s.io");
        client.Options.AddSubProtocol("v4.channel.k8s.io");
        await client.ConnectAsync(new Uri($"ws://127.0.0.1:{server.Port}/exec"), Timeout);
        await client.SendAsync(new byte[] { 0, 104, 105 }, WebSocketMessageType.Binary, true, Timeout);
        var buffer = new byte[1024];
        var echoed = await client.ReceiveAsync(buffer, Timeout);
        var closing = await client.ReceiveAsync(buffer, Timeout);

        Assert.Equal("v5.channel.k8s.io", client.SubProtocol);
        Assert.Equal(["v5.channel.k8s.io", "v4.channel.k8s.io"], offered);
        Assert.Equal(new byte[] { 0, 104, 105 }, buffer[..echoed.Count]);
        Assert.Equal(WebSocketMessageType.Close, closing.MessageType);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
    }

    [Fact]
    public async Task Accepts_a_subprotocol_that_is_no_token_as_kubectls_port_forward_tunnel()
    {
        await using var server = await RelayServer.StartAsync(async context =>
        {
            using var socket = await WebSocketHandshake.AcceptAsync(context, "SPDY/3.1+portforward.k8s.io");
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", context.RequestAborted);
        });

        var tcp = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await tcp.ConnectAsync(IPAddress.Loopback, server.Port);
        await using var connection = new NetworkStream(tcp, ownsSocket: true);
        await using var answer = await UpgradeClient.SendAsync(connection, new UpgradeRequest("GET", "/portforward", "server",
        [
            new("Connection", "Upgrade"), new("Upgrade", "websocket"), new("Sec-WebSocket-Version", "13"),
            new("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), new("Sec-WebSocket-Protocol", "SPDY/3.1+portforward.k8s.io"),
        ]), Timeout);

        Assert.True(answer.Switched);
        Assert.Equal("SPDY/3.1+portforward.k8s.io", answer.Header("Sec-WebSocket-Protocol"));
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", answer.Header("Sec-WebSocket-Accept"));
    }
}
