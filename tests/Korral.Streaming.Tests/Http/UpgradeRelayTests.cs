using System.Net;
using System.Net.Sockets;
using System.Text;
using Korral.Streaming.Http;

namespace Korral.Streaming.Tests.Http;

/// <summary>A hop (Kestrel) relaying an upgrade to a scripted next hop, seen by a raw client.</summary>
public sealed class UpgradeRelayTests
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token;

    [Fact]
    public async Task Relays_the_negotiation_headers_and_the_switch_then_pipes_both_ways()
    {
        await using var next = new ScriptedPeer();
        await using var hop = await RelayServer.StartAsync(async context =>
        {
            var upstream = await next.ConnectAsync();
            var answer = await UpgradeClient.SendAsync(upstream, new UpgradeRequest(context.Request.Method,
                "/exec/TOKEN" + context.Request.QueryString, "127.0.0.1", UpgradeRelay.RequestHeaders(context.Request)), context.RequestAborted);
            await UpgradeRelay.RespondAsync(context, answer, context.RequestAborted);
        });

        await using var client = await ConnectAsync(hop.Port);
        var sending = UpgradeClient.SendAsync(client, new UpgradeRequest("POST", "/exec?command=sh", "hop",
        [
            new("Connection", "Upgrade"), new("Upgrade", "SPDY/3.1"), new("Authorization", "Bearer secret"),
            new("X-Stream-Protocol-Version", "v5.channel.k8s.io"), new("X-Stream-Protocol-Version", "v4.channel.k8s.io"),
        ]), Timeout);

        var head = await next.ReadHeadAsync(Timeout);
        await next.WriteAsync("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n" +
                              "X-Stream-Protocol-Version: v4.channel.k8s.io\r\nX-Private: no\r\n\r\n", Timeout);
        var echo = next.EchoAsync(Timeout);
        await using var answer = await sending;

        Assert.StartsWith("POST /exec/TOKEN?command=sh HTTP/1.1\r\n", head);
        Assert.Contains("X-Stream-Protocol-Version: v5.channel.k8s.io\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n", head);
        Assert.Contains("Upgrade: SPDY/3.1\r\n", head);
        Assert.DoesNotContain("Authorization", head);
        Assert.True(answer.Switched);
        Assert.Equal("v4.channel.k8s.io", answer.Header("X-Stream-Protocol-Version"));
        Assert.Equal("SPDY/3.1", answer.Header("Upgrade"));
        Assert.Null(answer.Header("X-Private"));

        var payload = new byte[256 * 1024];
        Random.Shared.NextBytes(payload);
        var reading = ReadAllAsync(answer.Stream!, payload.Length);
        await answer.Stream!.WriteAsync(payload, Timeout);
        Assert.Equal(payload, await reading);

        // The next hop hanging up ends the caller's connection too.
        next.CloseConnection();
        Assert.Equal(0, await answer.Stream!.ReadAsync(new byte[1], Timeout));
        await echo;
    }

    [Fact]
    public async Task A_refusal_reaches_the_caller_as_it_came()
    {
        await using var next = new ScriptedPeer();
        await using var hop = await RelayServer.StartAsync(async context =>
        {
            var upstream = await next.ConnectAsync();
            var answer = await UpgradeClient.SendAsync(upstream, new UpgradeRequest("POST", "/exec/TOKEN", "127.0.0.1",
                UpgradeRelay.RequestHeaders(context.Request)), context.RequestAborted);
            await UpgradeRelay.RespondAsync(context, answer, context.RequestAborted);
        });

        await using var client = await ConnectAsync(hop.Port);
        var sending = UpgradeClient.SendAsync(client, new UpgradeRequest("POST", "/exec", "hop",
            [new("Connection", "Upgrade"), new("Upgrade", "SPDY/3.1")]), Timeout);
        await next.ReadHeadAsync(Timeout);
        await next.WriteAsync("HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 28\r\n\r\n" +
                              "container not found (\"web\")\n", Timeout);
        await using var answer = await sending;

        Assert.Equal(500, answer.StatusCode);
        Assert.Equal("text/plain; charset=utf-8", answer.Header("Content-Type"));
        Assert.Equal("container not found (\"web\")\n", Encoding.UTF8.GetString(answer.Body));
    }

    [Fact]
    public async Task The_caller_hanging_up_ends_the_next_hops_connection()
    {
        await using var next = new ScriptedPeer();
        await using var hop = await RelayServer.StartAsync(async context =>
        {
            var upstream = await next.ConnectAsync();
            var answer = await UpgradeClient.SendAsync(upstream, new UpgradeRequest("POST", "/portforward/TOKEN", "127.0.0.1",
                UpgradeRelay.RequestHeaders(context.Request)), context.RequestAborted);
            await UpgradeRelay.RespondAsync(context, answer, context.RequestAborted);
        });

        var client = await ConnectAsync(hop.Port);
        var sending = UpgradeClient.SendAsync(client, new UpgradeRequest("POST", "/portforward", "hop",
            [new("Connection", "Upgrade"), new("Upgrade", "SPDY/3.1"), new("X-Stream-Protocol-Version", "portforward.k8s.io")]), Timeout);
        await next.ReadHeadAsync(Timeout);
        await next.WriteAsync("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n\r\n", Timeout);
        var answer = await sending;
        await answer.DisposeAsync();

        // The echo loop ends when the hop closes its side.
        await next.EchoAsync(Timeout);
    }

    private static async Task<NetworkStream> ConnectAsync(int port)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        return new NetworkStream(socket, ownsSocket: true);
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream, int count)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer, Timeout);
        return buffer;
    }
}
