using System.Net.WebSockets;
using System.Text;
using Korral.ApiServer.Tests.Fixtures;
using Korral.ApiServer.Tests.PodLog;

namespace Korral.ApiServer.Tests.Streaming;

/// <summary>
/// pods/portforward against a fake kubelet: native SPDY and the kubelet's WebSocket protocol relayed to
/// /portForward/{ns}/{pod} (ports as upstream passes them), and kubectl 1.31+'s tunnel (SPDY/3.1+portforward.k8s.io)
/// unwrapped into a native SPDY upgrade whose bytes travel in binary messages.
/// </summary>
public sealed class PortForwardTests(PodLogFixture fixture) : IClassFixture<PodLogFixture>, IDisposable
{
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));

    private CancellationToken Timeout => _timeout.Token;

    private FakeKubelet Kubelet => fixture.Kubelet;

    private TestServer Server => fixture.Server;

    private async Task<string> PodAsync(string node = "node-1")
    {
        var ns = await fixture.NewNamespaceAsync();
        await fixture.Api.CreateAsync($"/api/v1/namespaces/{ns}/pods", Objects.Pod("web", nodeName: node));
        return ns;
    }

    [Fact]
    public async Task Native_spdy_is_relayed_without_ports()
    {
        var ns = await PodAsync();
        var seen = new TaskCompletionSource<SeenRequest>();
        Kubelet.Handler = FakeKubeletSessions.Switch(seen, [("Upgrade", "SPDY/3.1"), ("X-Stream-Protocol-Version", "portforward.k8s.io")],
            FakeKubeletSessions.EchoAsync);

        await using var call = await UpgradeCall.SpdyAsync(Server, $"/api/v1/namespaces/{ns}/pods/web/portforward", Timeout, "portforward.k8s.io");

        Assert.Equal(101, call.Answer.StatusCode);
        Assert.Equal("portforward.k8s.io", call.Answer.Header("X-Stream-Protocol-Version"));
        var request = await seen.Task.WaitAsync(Timeout);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/portForward/{ns}/web", request.PathAndQuery);
        Assert.Equal(["portforward.k8s.io"], request.Header("X-Stream-Protocol-Version"));

        var payload = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\n\r\n");
        await call.Stream.WriteAsync(payload, Timeout);
        var echoed = new byte[payload.Length];
        await call.Stream.ReadExactlyAsync(echoed, Timeout);
        Assert.Equal(payload, echoed);
    }

    [Fact]
    public async Task The_kubelets_websocket_protocol_is_relayed_with_the_ports()
    {
        var ns = await PodAsync();
        var seen = new TaskCompletionSource<SeenRequest>();
        Kubelet.Handler = FakeKubeletSessions.WebSocketEcho(seen, "v4.channel.k8s.io");

        using var client = await ApiWebSockets.ConnectAsync(Server, $"/api/v1/namespaces/{ns}/pods/web/portforward?ports=80&ports=8080", Timeout,
            "v4.channel.k8s.io", "portforward.k8s.io");

        Assert.Equal("v4.channel.k8s.io", client.SubProtocol);
        var request = await seen.Task.WaitAsync(Timeout);
        Assert.Equal("GET", request.Method);
        Assert.Equal($"/portForward/{ns}/web?port=80%2C8080", request.PathAndQuery);

        await client.SendAsync("\0data"u8.ToArray(), WebSocketMessageType.Binary, true, Timeout);
        var buffer = new byte[64];
        var received = await client.ReceiveAsync(buffer, Timeout);
        Assert.Equal("\0data"u8.ToArray(), buffer[..received.Count]);
    }

    [Fact]
    public async Task The_websocket_tunnel_is_unwrapped_into_native_spdy()
    {
        var ns = await PodAsync();
        var seen = new TaskCompletionSource<SeenRequest>();
        var kubeletGot = new TaskCompletionSource<string>();
        Kubelet.Handler = FakeKubeletSessions.Switch(seen, [("Upgrade", "SPDY/3.1"), ("X-Stream-Protocol-Version", "portforward.k8s.io")],
            async stream =>
            {
                // A raw byte stream on this side: message boundaries from the client mean nothing here.
                var got = new byte[11];
                await stream.ReadExactlyAsync(got);
                kubeletGot.TrySetResult(Encoding.ASCII.GetString(got));
                await stream.WriteAsync("reply-from-kubelet"u8.ToArray());
                await stream.FlushAsync();
                await FakeKubeletSessions.EchoAsync(stream);
            });

        // .NET's ClientWebSocket refuses a subprotocol with '/', so the handshake is made by hand, as kubectl's dialer makes it.
        await using var call = await UpgradeCall.WebSocketAsync(Server, $"/api/v1/namespaces/{ns}/pods/web/portforward", Timeout,
            "SPDY/3.1+portforward.k8s.io");
        Assert.Equal(101, call.Answer.StatusCode);
        Assert.Equal("SPDY/3.1+portforward.k8s.io", call.Answer.Header("Sec-WebSocket-Protocol"));
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", call.Answer.Header("Sec-WebSocket-Accept"));
        using var client = WebSocket.CreateFromStream(call.Stream, new WebSocketCreationOptions { IsServer = false });

        var request = await seen.Task.WaitAsync(Timeout);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/portForward/{ns}/web", request.PathAndQuery);
        Assert.Equal(["SPDY/3.1"], request.Header("Upgrade"));
        Assert.Equal(["portforward.k8s.io"], request.Header("X-Stream-Protocol-Version"));
        Assert.Empty(request.Header("Sec-WebSocket-Key"));

        await client.SendAsync("hello "u8.ToArray(), WebSocketMessageType.Binary, true, Timeout);
        await client.SendAsync("world"u8.ToArray(), WebSocketMessageType.Binary, true, Timeout);
        Assert.Equal("hello world", await kubeletGot.Task.WaitAsync(Timeout));

        var reply = new StringBuilder();
        var buffer = new byte[64];
        while (reply.Length < "reply-from-kubelet".Length)
        {
            var received = await client.ReceiveAsync(buffer, Timeout);
            Assert.Equal(WebSocketMessageType.Binary, received.MessageType);
            reply.Append(Encoding.ASCII.GetString(buffer, 0, received.Count));
        }

        Assert.Equal("reply-from-kubelet", reply.ToString());
    }

    [Fact]
    public async Task A_kubelet_ending_the_tunnel_closes_the_websocket_normally()
    {
        var ns = await PodAsync();
        var seen = new TaskCompletionSource<SeenRequest>();
        Kubelet.Handler = FakeKubeletSessions.Switch(seen, [("Upgrade", "SPDY/3.1"), ("X-Stream-Protocol-Version", "portforward.k8s.io")],
            async stream =>
            {
                await stream.WriteAsync("bye"u8.ToArray());
                await stream.FlushAsync();
            });

        await using var call = await UpgradeCall.WebSocketAsync(Server, $"/api/v1/namespaces/{ns}/pods/web/portforward", Timeout,
            "SPDY/3.1+portforward.k8s.io");
        using var client = WebSocket.CreateFromStream(call.Stream, new WebSocketCreationOptions { IsServer = false });

        var buffer = new byte[64];
        var received = await client.ReceiveAsync(buffer, Timeout);
        Assert.Equal("bye", Encoding.ASCII.GetString(buffer, 0, received.Count));
        received = await client.ReceiveAsync(buffer, Timeout);
        Assert.Equal(WebSocketMessageType.Close, received.MessageType);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
        await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", Timeout);
    }

    [Fact]
    public async Task A_client_closing_the_tunnel_ends_the_kubelet_session()
    {
        var ns = await PodAsync();
        var seen = new TaskCompletionSource<SeenRequest>();
        var ended = new TaskCompletionSource();
        Kubelet.Handler = FakeKubeletSessions.Switch(seen, [("Upgrade", "SPDY/3.1"), ("X-Stream-Protocol-Version", "portforward.k8s.io")],
            async stream =>
            {
                await FakeKubeletSessions.EchoAsync(stream);
                ended.TrySetResult();
            });

        await using var call = await UpgradeCall.WebSocketAsync(Server, $"/api/v1/namespaces/{ns}/pods/web/portforward", Timeout,
            "SPDY/3.1+portforward.k8s.io");
        using var client = WebSocket.CreateFromStream(call.Stream, new WebSocketCreationOptions { IsServer = false });
        await client.SendAsync("ping"u8.ToArray(), WebSocketMessageType.Binary, true, Timeout);
        var buffer = new byte[64];
        var received = await client.ReceiveAsync(buffer, Timeout);
        Assert.Equal("ping", Encoding.ASCII.GetString(buffer, 0, received.Count));

        // The close handshake completes (the API server answers the client's close), and the kubelet's connection ends.
        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "", Timeout);
        Assert.Equal(WebSocketState.Closed, client.State);
        await ended.Task.WaitAsync(Timeout);
    }

    [Fact]
    public async Task A_refused_tunnel_is_answered_without_a_switch_so_kubectl_falls_back()
    {
        var ns = await PodAsync();
        var seen = new TaskCompletionSource<SeenRequest>();
        Kubelet.Handler = FakeKubeletSessions.Refuse(seen, 403, "Forbidden (user=kube-apiserver-kubelet-client, verb=create, resource=nodes, subresource=proxy)");

        await using var call = await UpgradeCall.WebSocketAsync(Server, $"/api/v1/namespaces/{ns}/pods/web/portforward", Timeout,
            "SPDY/3.1+portforward.k8s.io");

        Assert.Equal(403, call.Answer.StatusCode);
        Assert.Equal("Forbidden (user=kube-apiserver-kubelet-client, verb=create, resource=nodes, subresource=proxy)", call.Body);
        Assert.Equal("POST", (await seen.Task.WaitAsync(Timeout)).Method);
    }

    [Fact]
    public async Task An_unreachable_kubelet_is_reported_as_upstreams_proxy_words_it()
    {
        var ns = await PodAsync(node: "node-closed");

        await using var call = await UpgradeCall.SpdyAsync(Server, $"/api/v1/namespaces/{ns}/pods/web/portforward", Timeout, "portforward.k8s.io");

        Assert.Equal(500, call.Answer.StatusCode);
        Assert.StartsWith("error dialing backend: dial tcp 127.0.0.1:", (string?)System.Text.Json.Nodes.JsonNode.Parse(call.Body)!["message"]);
    }

    public void Dispose() => _timeout.Dispose();
}
