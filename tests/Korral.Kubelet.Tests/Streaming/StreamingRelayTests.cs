using System.Net;
using System.Net.Sockets;
using Korral.Kubelet.Cri;
using Korral.Kubelet.Cri.V1;

namespace Korral.Kubelet.Tests.Streaming;

/// <summary>
/// What the streaming endpoints ask of the runtime (the CRI requests built from the query and the pod's spec), what they
/// send on to the streaming server, and how the runtime's and the streaming server's refusals come back.
/// </summary>
public sealed class StreamingRelayTests(StreamingRelayFixture fixture) : IClassFixture<StreamingRelayFixture>
{
    private const string RefusalBody = "requested protocol(s) are not supported";

    private static readonly string Refusal =
        $"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {RefusalBody.Length}\r\n\r\n{RefusalBody}";

    private string UpstreamUrl(string path) => $"http://127.0.0.1:{fixture.Upstream.Port}{path}";

    /// <summary>Sends a WebSocket (GET) or SPDY (POST) upgrade, with the streaming server refusing it; returns the kubelet's answer.</summary>
    private async Task<(int Code, string Body)> UpgradeAsync(string method, string pathAndQuery)
    {
        fixture.Runtime.Error = null;
        fixture.Runtime.Url = UpstreamUrl("/exec/token-1");
        fixture.Upstream.Answer = Refusal;
        var headers = method == "GET" ? KubeletStreamClient.WebSocketHeaders("v4.channel.k8s.io") : KubeletStreamClient.SpdyHeaders("v4.channel.k8s.io");
        await using var exchange = await fixture.Kubelet.UpgradeAsync(method, pathAndQuery, headers);
        return (exchange.StatusCode, exchange.Body);
    }

    private T LastRequest<T>() => Assert.IsType<T>(fixture.Runtime.Requests[^1]);

    [Fact]
    public async Task Exec_asks_the_runtime_for_the_command_and_streams_of_the_query()
    {
        await UpgradeAsync("POST", "/exec/default/web/main?command=ls&command=-l%20a&input=1&output=1&error=1");
        var exec = LastRequest<ExecRequest>();
        Assert.Equal(("container-1", false, true, true, true), (exec.ContainerId, exec.Tty, exec.Stdin, exec.Stdout, exec.Stderr));
        Assert.Equal(["ls", "-l a"], exec.Cmd);

        // A terminal carries stderr inside stdout: upstream drops the stderr stream.
        await UpgradeAsync("GET", "/exec/default/web/main?command=sh&input=1&output=1&error=1&tty=1");
        exec = LastRequest<ExecRequest>();
        Assert.Equal((true, true, true, false), (exec.Tty, exec.Stdin, exec.Stdout, exec.Stderr));
    }

    [Fact]
    public async Task Attach_takes_the_terminal_setting_from_the_containers_spec()
    {
        await UpgradeAsync("POST", "/attach/default/web/console?input=1&output=1");
        var attach = LastRequest<AttachRequest>();
        Assert.Equal(("container-1", true, true, true, false), (attach.ContainerId, attach.Tty, attach.Stdin, attach.Stdout, attach.Stderr));

        await UpgradeAsync("POST", "/attach/default/web/main?output=1&error=1&tty=1");
        attach = LastRequest<AttachRequest>();
        Assert.Equal((false, false, true, false), (attach.Tty, attach.Stdin, attach.Stdout, attach.Stderr));
    }

    [Fact]
    public async Task Port_forward_names_the_sandbox_and_over_WebSocket_the_ports_of_the_query()
    {
        await UpgradeAsync("GET", $"/portForward/default/web/{StreamingRelayFixture.PodUid}?port=80,443&port=8080");
        var forward = LastRequest<PortForwardRequest>();
        Assert.Equal("sandbox-1", forward.PodSandboxId);
        Assert.Equal([80, 443, 8080], forward.Port);

        // Over SPDY the ports come with each stream.
        await UpgradeAsync("POST", "/portForward/default/web?port=80");
        Assert.Empty(LastRequest<PortForwardRequest>().Port);
    }

    [Fact]
    public async Task The_upgrade_goes_on_with_the_callers_method_and_negotiation_headers_only()
    {
        await UpgradeAsync("POST", "/exec/default/web/main?command=true&output=1");

        var lines = fixture.Upstream.Requests[^1].Split("\r\n");
        Assert.Equal("POST /exec/token-1 HTTP/1.1", lines[0]);
        Assert.Equal(
            [$"Host: 127.0.0.1:{fixture.Upstream.Port}", "Upgrade: SPDY/3.1", "Connection: Upgrade", "X-Stream-Protocol-Version: v4.channel.k8s.io"],
            lines[1..]);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task The_streaming_servers_refusal_comes_back_as_it_is(string method)
    {
        Assert.Equal((400, RefusalBody), await UpgradeAsync(method, "/exec/default/web/main?command=true&output=1"));
    }

    [Theory]
    [InlineData(CriException.NotFound, "container is not running", 404, "rpc error: code = NotFound desc = container is not running")]
    [InlineData(3, "tty and stderr cannot both be true", 500, "rpc error: code = InvalidArgument desc = tty and stderr cannot both be true")]
    [InlineData(CriException.ResourceExhausted, "maximum number of in-flight requests exceeded [Retry-After:42]", 429,
        "rpc error: code = ResourceExhausted desc = maximum number of in-flight requests exceeded [Retry-After:42]")]
    public async Task The_runtimes_errors_keep_their_grpc_text_with_upstreams_status(int code, string message, int status, string body)
    {
        fixture.Runtime.Error = new CriException("/runtime.v1.RuntimeService/Exec", code, message);
        await using var exchange = await fixture.Kubelet.UpgradeAsync("POST", "/exec/default/web/main?command=true&output=1",
            KubeletStreamClient.SpdyHeaders("v4.channel.k8s.io"));

        Assert.Equal((status, body), (exchange.StatusCode, exchange.Body));
        Assert.Equal(status == 429 ? "42" : null, exchange.Response.Header("Retry-After"));
    }

    [Fact]
    public async Task A_streaming_server_that_cannot_be_reached_is_a_server_error()
    {
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        fixture.Runtime.Error = null;
        fixture.Runtime.Url = $"http://127.0.0.1:{port}/exec/token-2";

        await using var exchange = await fixture.Kubelet.UpgradeAsync("POST", "/exec/default/web/main?command=true&output=1",
            KubeletStreamClient.SpdyHeaders("v4.channel.k8s.io"));

        Assert.Equal(500, exchange.StatusCode);
        Assert.StartsWith($"dial tcp 127.0.0.1:{port}: ", exchange.Body);
    }
}
