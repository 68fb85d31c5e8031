using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Korral.Streaming.RemoteCommand;
using Korral.Streaming.Tests.Spdy;

namespace Korral.Streaming.Tests.RemoteCommand;

/// <summary>A next hop that would not switch to SPDY, told to a WebSocket v5 client as upstream's translator tells it.</summary>
public sealed class RefusalTests
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token;

    [Theory]
    [InlineData("container not found (\"main\")\n", "Internal error occurred: unable to upgrade connection: container not found (\"main\")", "InternalError")]
    [InlineData("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \"x\" not found","reason":"NotFound","code":404}""",
        "pods \"x\" not found", "NotFound")]
    public async Task The_refusal_is_the_sessions_status_then_a_normal_close(string refusal, string message, string reason)
    {
        await using var pair = await LoopbackPair.CreateAsync();
        using var client = WebSocket.CreateFromStream(pair.A, new WebSocketCreationOptions { IsServer = false });
        using var server = WebSocket.CreateFromStream(pair.B, new WebSocketCreationOptions { IsServer = true });

        var refusing = WebSocketToSpdy.RefuseAsync(server, Encoding.UTF8.GetBytes(refusal), Timeout);
        var buffer = new byte[4096];
        var status = await client.ReceiveAsync(buffer, Timeout);
        var closing = await client.ReceiveAsync(new byte[16], Timeout);
        await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, Timeout);
        await refusing;

        Assert.Equal(RemoteCommandChannels.Status, buffer[0]);
        var json = JsonNode.Parse(buffer.AsSpan(1, status.Count - 1))!;
        Assert.Equal(message, (string?)json["message"]);
        Assert.Equal(reason, (string?)json["reason"]);
        Assert.Equal(WebSocketMessageType.Close, closing.MessageType);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
    }
}
