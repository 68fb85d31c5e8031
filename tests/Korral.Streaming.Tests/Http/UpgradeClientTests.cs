using System.Text;
using Korral.Streaming.Http;

namespace Korral.Streaming.Tests.Http;

public sealed class UpgradeClientTests
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token;

    private static UpgradeRequest SpdyRequest() => new("POST", "/exec/default/p1/c1?command=sh&input=1", "10.0.0.5:10250",
    [
        new("Connection", "Upgrade"),
        new("Upgrade", "SPDY/3.1"),
        new("X-Stream-Protocol-Version", "v4.channel.k8s.io"),
        new("X-Stream-Protocol-Version", "v3.channel.k8s.io"),
    ]);

    [Fact]
    public async Task Writes_the_request_head_with_each_header_on_its_own_line()
    {
        await using var peer = new ScriptedPeer();
        await using var connection = await peer.ConnectAsync();
        var sending = UpgradeClient.SendAsync(connection, SpdyRequest(), Timeout);

        var head = await peer.ReadHeadAsync(Timeout);
        await peer.WriteAsync("HTTP/1.1 101 Switching Protocols\r\nUpgrade: SPDY/3.1\r\n\r\n", Timeout);
        await using var response = await sending;

        Assert.Equal(
            "POST /exec/default/p1/c1?command=sh&input=1 HTTP/1.1\r\nHost: 10.0.0.5:10250\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n" +
            "X-Stream-Protocol-Version: v4.channel.k8s.io\r\nX-Stream-Protocol-Version: v3.channel.k8s.io\r\n\r\n", head);
    }

    [Fact]
    public async Task A_switch_hands_over_the_connection_with_the_bytes_that_came_along_first()
    {
        await using var peer = new ScriptedPeer();
        var connection = await peer.ConnectAsync();
        var sending = UpgradeClient.SendAsync(connection, SpdyRequest(), Timeout);
        await peer.ReadHeadAsync(Timeout);
        // The first frame of the new protocol arrives in the same segment as the head.
        await peer.WriteAsync("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n" +
                              "X-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\nearly", Timeout);
        await using var response = await sending;

        Assert.True(response.Switched);
        Assert.Equal("Switching Protocols", response.Reason);
        Assert.Equal("v4.channel.k8s.io", response.Header("x-stream-protocol-version"));
        var echo = peer.EchoAsync(Timeout);
        await response.Stream!.WriteAsync("late"u8.ToArray(), Timeout);
        Assert.Equal("earlylate", await ReadAsync(response.Stream, 9));
        peer.CloseConnection();
        await echo;
    }

    [Theory]
    [InlineData("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 19\r\n\r\npod does not exist\n", 404, "pod does not exist\n")]
    [InlineData("HTTP/1.1 500 Internal Server Error\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7; ext=1\r\n, world\r\n0\r\n\r\n", 500, "hello, world")]
    [InlineData("HTTP/1.0 400 Bad Request\r\n\r\nUpgrade request required", 400, "Upgrade request required")]
    public async Task A_refusal_comes_with_its_whole_body(string answer, int status, string body)
    {
        await using var peer = new ScriptedPeer();
        await using var connection = await peer.ConnectAsync();
        var sending = UpgradeClient.SendAsync(connection, SpdyRequest(), Timeout);
        await peer.ReadHeadAsync(Timeout);
        await peer.WriteAsync(answer, Timeout);
        if (!answer.Contains("Content-Length") && !answer.Contains("chunked"))
        {
            peer.CloseConnection();
        }

        await using var response = await sending;

        Assert.False(response.Switched);
        Assert.Null(response.Stream);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(body, Encoding.UTF8.GetString(response.Body));
    }

    [Theory]
    [InlineData("SPDY/3.1 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 abc Weird\r\n\r\n")]
    public async Task An_answer_that_is_not_http_is_an_error(string answer)
    {
        await using var peer = new ScriptedPeer();
        await using var connection = await peer.ConnectAsync();
        var sending = UpgradeClient.SendAsync(connection, SpdyRequest(), Timeout);
        await peer.ReadHeadAsync(Timeout);
        await peer.WriteAsync(answer, Timeout);

        await Assert.ThrowsAsync<IOException>(() => sending);
    }

    [Fact]
    public async Task A_connection_that_closes_before_answering_is_an_error()
    {
        await using var peer = new ScriptedPeer();
        await using var connection = await peer.ConnectAsync();
        var sending = UpgradeClient.SendAsync(connection, SpdyRequest(), Timeout);
        await peer.ReadHeadAsync(Timeout);
        peer.CloseConnection();

        var error = await Assert.ThrowsAsync<IOException>(() => sending);
        Assert.Contains("closed before a response", error.Message);
    }

    [Theory]
    [InlineData("X-Evil", "a\r\nInjected: yes")]
    [InlineData("Bad:Name", "v")]
    public async Task Headers_that_would_split_the_head_are_refused(string name, string value)
    {
        await using var peer = new ScriptedPeer();
        await using var connection = await peer.ConnectAsync();
        var request = SpdyRequest() with { Headers = [new(name, value)] };

        await Assert.ThrowsAsync<ArgumentException>(() => UpgradeClient.SendAsync(connection, request, Timeout));
    }

    private static async Task<string> ReadAsync(Stream stream, int count)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer, Timeout);
        return Encoding.ASCII.GetString(buffer);
    }
}
