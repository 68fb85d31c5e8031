using System.Net.WebSockets;
using Korral.ApiServer.Tests.Fixtures;
using Korral.ApiServer.Tests.PodLog;

namespace Korral.ApiServer.Tests.Streaming;

/// <summary>
/// pods/exec and pods/attach against a fake kubelet: SPDY and WebSocket v4 relayed to /exec/{ns}/{pod}/{container}
/// (method, query and negotiation headers as upstream sends them, the switch relayed back, bytes piped both ways), the
/// kubelet's refusals passed on as they came, an unreachable kubelet, and WebSocket v5 carried on to the kubelet as SPDY.
/// </summary>
public sealed class ExecTests(PodLogFixture fixture) : IClassFixture<PodLogFixture>, IDisposable
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
    public async Task Spdy_exec_is_relayed_to_the_kubelet_and_piped_both_ways()
    {
        var ns = await PodAsync();
        var seen = new TaskCompletionSource<SeenRequest>();
        Kubelet.Handler = FakeKubeletSessions.Switch(seen, [("Upgrade", "SPDY/3.1"), ("X-Stream-Protocol-Version", "v4.channel.k8s.io")],
            FakeKubeletSessions.EchoAsync);

        await using var call = await UpgradeCall.SpdyAsync(Server,
            $"/api/v1/namespaces/{ns}/pods/web/exec?command=sh&command=-c&command=echo%20hi&container=main&stdin=true&stdout=true&stderr=true",
            Timeout, "v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io");

        Assert.Equal(101, call.Answer.StatusCode);
        Assert.Equal("SPDY/3.1", call.Answer.Header("Upgrade"));
        Assert.Equal("v4.channel.k8s.io", call.Answer.Header("X-Stream-Protocol-Version"));
        var request = await seen.Task.WaitAsync(Timeout);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/exec/{ns}/web/main?command=sh&command=-c&command=echo+hi&error=1&input=1&output=1", request.PathAndQuery);
        Assert.Equal(["v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io"], request.Header("X-Stream-Protocol-Version"));
        Assert.Equal(["SPDY/3.1"], request.Header("Upgrade"));
        Assert.Empty(request.Header("Authorization"));
        Assert.Equal("O=system:masters, CN=kube-apiserver-kubelet-client", request.ClientSubject);

        await AssertEchoesAsync(call.Stream, 200_000);
    }

    [Fact]
    public async Task The_kubelet_session_ends_when_the_caller_hangs_up()
    {
        var ns = await PodAsync();
        var seen = new TaskCompletionSource<SeenRequest>();
        var ended = new TaskCompletionSource();
        Kubelet.Handler = FakeKubeletSessions.Switch(seen, [("Upgrade", "SPDY/3.1"), ("X-Stream-Protocol-Version", "v4.channel.k8s.io")],
            async stream =>
            {
                await FakeKubeletSessions.EchoAsync(stream);
                ended.TrySetResult();
            });

        var call = await UpgradeCall.SpdyAsync(Server, $"/api/v1/namespaces/{ns}/pods/web/exec?command=sh&stdin=true", Timeout, "v4.channel.k8s.io");
        await AssertEchoesAsync(call.Stream, 10);
        await call.DisposeAsync();

        await ended.Task.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Spdy_attach_goes_to_the_kubelets_attach_path()
    {
        var ns = await PodAsync();
        var seen = new TaskCompletionSource<SeenRequest>();
        Kubelet.Handler = FakeKubeletSessions.Switch(seen, [("Upgrade", "SPDY/3.1"), ("X-Stream-Protocol-Version", "v4.channel.k8s.io")],
            FakeKubeletSessions.EchoAsync);

        await using var call = await UpgradeCall.SpdyAsync(Server, $"/api/v1/namespaces/{ns}/pods/web/attach?stdin=true&stdout=true&tty=true",
            Timeout, "v5.channel.k8s.io", "v4.channel.k8s.io");

        Assert.Equal(101, call.Answer.StatusCode);
        var request = await seen.Task.WaitAsync(Timeout);
        Assert.Equal($"/attach/{ns}/web/main?input=1&output=1&tty=1", request.PathAndQuery);
        // Over SPDY even a v5 offer is the kubelet's to answer.
        Assert.Equal(["v5.channel.k8s.io", "v4.channel.k8s.io"], request.Header("X-Stream-Protocol-Version"));
        await AssertEchoesAsync(call.Stream, 1000);
    }

    [Theory]
    [InlineData(404, "container not found (\"main\")")]
    [InlineData(400, "you must specify at least 1 of stdin, stdout, stderr")]
    [InlineData(500, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"boom\",\"code\":500}")]
    public async Task A_kubelet_refusal_reaches_the_caller_as_it_came(int code, string text)
    {
        var ns = await PodAsync();
        var seen = new TaskCompletionSource<SeenRequest>();
        Kubelet.Handler = FakeKubeletSessions.Refuse(seen, code, text);

        await using var call = await UpgradeCall.SpdyAsync(Server, $"/api/v1/namespaces/{ns}/pods/web/exec?command=ls", Timeout, "v4.channel.k8s.io");

        Assert.Equal(code, call.Answer.StatusCode);
        Assert.Equal(text, call.Body);
        Assert.Equal("text/plain; charset=utf-8", call.Answer.Header("Content-Type"));
        Assert.Equal($"/exec/{ns}/web/main?command=ls", (await seen.Task.WaitAsync(Timeout)).PathAndQuery);
    }

    [Fact]
    public async Task An_unreachable_kubelet_is_reported_as_upstreams_proxy_words_it()
    {
        var ns = await PodAsync(node: "node-closed");

        await using var call = await UpgradeCall.SpdyAsync(Server, $"/api/v1/namespaces/{ns}/pods/web/exec?command=ls&stdout=true", Timeout,
            "v4.channel.k8s.io");

        Assert.Equal(500, call.Answer.StatusCode);
        var status = System.Text.Json.Nodes.JsonNode.Parse(call.Body)!;
        Assert.Null(status["reason"]);
        Assert.Matches(@"^error dialing backend: dial tcp 127\.0\.0\.1:\d+: connect: connection refused$", (string?)status["message"]);
    }

    [Fact]
    public async Task An_untrusted_kubelet_is_not_dialled()
    {
        var ns = await PodAsync(node: "node-untrusted");

        await using var call = await UpgradeCall.SpdyAsync(Server, $"/api/v1/namespaces/{ns}/pods/web/exec?command=ls&stdout=true", Timeout,
            "v4.channel.k8s.io");

        Assert.Equal(500, call.Answer.StatusCode);
        var message = (string?)System.Text.Json.Nodes.JsonNode.Parse(call.Body)!["message"];
        Assert.Equal("error dialing backend: tls: failed to verify certificate: x509: certificate signed by unknown authority", message);
        Assert.True(fixture.Untrusted.Requests.IsEmpty);
    }

    [Fact]
    public async Task Websocket_v4_is_relayed_to_a_kubelet_that_accepts_it()
    {
        var ns = await PodAsync();
        var seen = new TaskCompletionSource<SeenRequest>();
        Kubelet.Handler = FakeKubeletSessions.WebSocketEcho(seen, "v4.channel.k8s.io");

        using var client = await ApiWebSockets.ConnectAsync(Server, $"/api/v1/namespaces/{ns}/pods/web/exec?command=cat&stdin=true&stdout=true",
            Timeout, "v4.channel.k8s.io", "base64.channel.k8s.io");

        Assert.Equal("v4.channel.k8s.io", client.SubProtocol);
        var request = await seen.Task.WaitAsync(Timeout);
        Assert.Equal("GET", request.Method);
        Assert.Equal($"/exec/{ns}/web/main?command=cat&input=1&output=1", request.PathAndQuery);
        Assert.Equal("v4.channel.k8s.io, base64.channel.k8s.io", string.Join(", ", request.Header("Sec-WebSocket-Protocol")));

        var message = "\0hello-stdin\n"u8.ToArray();
        await client.SendAsync(message, WebSocketMessageType.Binary, true, Timeout);
        var buffer = new byte[1024];
        var received = await client.ReceiveAsync(buffer, Timeout);
        Assert.Equal(WebSocketMessageType.Binary, received.MessageType);
        Assert.Equal(message, buffer[..received.Count]);

        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "", Timeout);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
    }

    [Fact]
    public async Task Websocket_v5_asks_the_kubelet_for_spdy_first_then_accepts_the_client()
    {
        var ns = await PodAsync();
        var seen = new TaskCompletionSource<SeenRequest>();
        var kubeletSession = new TaskCompletionSource();
        Kubelet.Handler = FakeKubeletSessions.Switch(seen, [("Upgrade", "SPDY/3.1"), ("X-Stream-Protocol-Version", "v4.channel.k8s.io")],
            async stream =>
            {
                // The session itself is the translator's (Korral.Streaming); here it is enough that it reaches this far.
                kubeletSession.TrySetResult();
                await FakeKubeletSessions.DrainAsync(stream);
            });

        using var client = await ApiWebSockets.ConnectAsync(Server,
            $"/api/v1/namespaces/{ns}/pods/web/exec?command=echo&command=hi&container=main&stderr=true&stdout=true", Timeout, "v5.channel.k8s.io");

        Assert.Equal("v5.channel.k8s.io", client.SubProtocol);
        var request = await seen.Task.WaitAsync(Timeout);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/exec/{ns}/web/main?command=echo&command=hi&error=1&output=1", request.PathAndQuery);
        Assert.Equal(["SPDY/3.1"], request.Header("Upgrade"));
        Assert.Equal(["v4.channel.k8s.io"], request.Header("X-Stream-Protocol-Version"));
        Assert.Empty(request.Header("Sec-WebSocket-Key"));
        await kubeletSession.Task.WaitAsync(Timeout);
    }

    [Theory]
    [InlineData("")]
    [InlineData("c2hvcnQ=")]
    public async Task Websocket_v5_without_a_proper_key_is_refused_before_the_kubelet_is_asked(string key)
    {
        var ns = await PodAsync();
        var asked = new TaskCompletionSource<SeenRequest>();
        Kubelet.Handler = FakeKubeletSessions.Refuse(asked, 500, "not expected");

        await using var call = await UpgradeCall.SendAsync(Server, Server.AdminCertificate, "GET", $"/api/v1/namespaces/{ns}/pods/web/exec?command=ls",
            [new("Connection", "Upgrade"), new("Upgrade", "websocket"), new("Sec-WebSocket-Version", "13"), new("Sec-WebSocket-Key", key),
             new("Sec-WebSocket-Protocol", "v5.channel.k8s.io")], Timeout);

        Assert.Equal(400, call.Answer.StatusCode);
        Assert.Equal("websocket: not a websocket handshake: 'Sec-WebSocket-Key' header must be Base64 encoded value of 16-byte in length",
            (string?)System.Text.Json.Nodes.JsonNode.Parse(call.Body)!["message"]);
        Assert.False(asked.Task.IsCompleted);
    }

    [Fact]
    public async Task Websocket_v5_refused_by_the_kubelet_switches_and_reports_the_refusal_as_an_internal_error_status()
    {
        var ns = await PodAsync();
        var seen = new TaskCompletionSource<SeenRequest>();
        Kubelet.Handler = FakeKubeletSessions.Refuse(seen, 500, "container not found (\"main\")");

        using var client = await ApiWebSockets.ConnectAsync(Server, $"/api/v1/namespaces/{ns}/pods/web/exec?command=ls&stdout=true", Timeout,
            "v5.channel.k8s.io");
        var buffer = new byte[4096];
        var status = await client.ReceiveAsync(buffer, Timeout);
        var closing = await client.ReceiveAsync(new byte[16], Timeout);

        Assert.Equal("POST", (await seen.Task.WaitAsync(Timeout)).Method);
        Assert.Equal(3, buffer[0]);
        var json = System.Text.Json.Nodes.JsonNode.Parse(buffer.AsSpan(1, status.Count - 1))!;
        Assert.Equal("Failure", (string?)json["status"]);
        Assert.Equal("InternalError", (string?)json["reason"]);
        Assert.Equal(500, (int?)json["code"]);
        Assert.Equal("Internal error occurred: unable to upgrade connection: container not found (\"main\")", (string?)json["message"]);
        Assert.Equal(System.Net.WebSockets.WebSocketMessageType.Close, closing.MessageType);
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, client.CloseStatus);
    }

    [Fact]
    public async Task Websocket_v5_to_an_unreachable_kubelet_is_refused_without_a_switch()
    {
        var ns = await PodAsync(node: "node-closed");

        await using var call = await UpgradeCall.WebSocketAsync(Server, $"/api/v1/namespaces/{ns}/pods/web/attach?stdout=true", Timeout,
            "v5.channel.k8s.io");

        Assert.Equal(500, call.Answer.StatusCode);
        Assert.StartsWith("error dialing backend: dial tcp 127.0.0.1:", (string?)System.Text.Json.Nodes.JsonNode.Parse(call.Body)!["message"]);
    }

    private async Task AssertEchoesAsync(Stream session, int size)
    {
        var payload = new byte[size];
        Random.Shared.NextBytes(payload);
        var reading = ReadExactlyAsync(session, size);
        await session.WriteAsync(payload, Timeout);
        await session.FlushAsync(Timeout);
        Assert.Equal(payload, await reading);
    }

    private async Task<byte[]> ReadExactlyAsync(Stream stream, int size)
    {
        var buffer = new byte[size];
        await stream.ReadExactlyAsync(buffer, Timeout);
        return buffer;
    }

    public void Dispose() => _timeout.Dispose();
}
