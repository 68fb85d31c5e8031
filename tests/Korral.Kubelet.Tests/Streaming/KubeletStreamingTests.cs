using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Korral.Kubelet.Tests.Fixtures;

namespace Korral.Kubelet.Tests.Streaming;

/// <summary>
/// exec, attach and port-forward through the kubelet's HTTPS server to containerd's streaming server, on one running pod
/// (see <see cref="StreamingNodeFixture"/>), as the API server calls them: WebSocket v4.channel.k8s.io sessions (which
/// containerd speaks itself), SPDY upgrades relayed to their 101, and the refusals with upstream's codes and words.
/// </summary>
[Collection(ContainerdCollection.Name)]
public sealed class KubeletStreamingTests(ContainerdFixture containerd, StreamingNodeFixture node) : IClassFixture<StreamingNodeFixture>, IAsyncLifetime
{
    private const string V4 = "v4.channel.k8s.io";
    private const int Stdin = 0;
    private const int Stdout = 1;
    private const int Stderr = 2;
    private const int Status = 3;

    public Task InitializeAsync() => node.StartAsync(containerd);

    public Task DisposeAsync() => Task.CompletedTask;

    private string Pod => $"{node.Namespace}/{StreamingNodeFixture.PodName}";

    private static string Command(params string[] argv) => string.Join('&', argv.Select(a => "command=" + Uri.EscapeDataString(a)));

    private async Task<ChannelSession> OpenAsync(string pathAndQuery, params string[] protocols) =>
        new(await node.Kubelet.WebSocketAsync(pathAndQuery, protocols.Length == 0 ? [V4] : protocols));

    private JsonObject StatusOf(ChannelSession session) => JsonNode.Parse(session.Text(Status))!.AsObject();

    [Fact]
    public async Task Exec_streams_stdout_and_ends_with_a_success_status()
    {
        using var session = await OpenAsync($"/exec/{Pod}/main?{Command("echo", "hello")}&output=1&error=1");
        await session.ReadToEndAsync();

        Assert.Equal("hello\n", session.Text(Stdout));
        Assert.Equal("Success", (string?)StatusOf(session)["status"]);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, session.CloseStatus);
    }

    [Fact]
    public async Task Exec_keeps_stderr_apart_from_stdout()
    {
        using var session = await OpenAsync($"/exec/{Pod}/main?{Command("sh", "-c", "echo oops >&2; echo fine")}&output=1&error=1");
        await session.ReadToEndAsync();

        Assert.Equal("fine\n", session.Text(Stdout));
        Assert.Equal("oops\n", session.Text(Stderr));
    }

    [Fact]
    public async Task A_non_zero_exit_ends_with_its_code_in_the_status()
    {
        using var session = await OpenAsync($"/exec/{Pod}/main?{Command("sh", "-c", "exit 3")}&output=1&error=1");
        await session.ReadToEndAsync();

        var status = StatusOf(session);
        Assert.Equal("Failure", (string?)status["status"]);
        Assert.Equal("NonZeroExitCode", (string?)status["reason"]);
        Assert.StartsWith("command terminated with non-zero exit code", (string?)status["message"]);
        var cause = status["details"]!["causes"]![0]!;
        Assert.Equal("ExitCode", (string?)cause["reason"]);
        Assert.Equal("3", (string?)cause["message"]);
    }

    [Fact]
    public async Task Stdin_reaches_the_command()
    {
        // v4 cannot close stdin: the command ends by itself after the first line.
        using var session = await OpenAsync($"/exec/{Pod}/main?{Command("head", "-n1")}&input=1&output=1&error=1");
        await session.SendAsync(Stdin, "ping\n");
        await session.ReadToEndAsync();

        Assert.Equal("ping\n", session.Text(Stdout));
        Assert.Equal("Success", (string?)StatusOf(session)["status"]);
    }

    [Fact]
    public async Task A_terminal_exec_runs_on_a_tty_with_kubectls_spelling_of_the_query()
    {
        // kubectl exec -it: an interactive shell on a terminal, ended by typing exit.
        using var session = await OpenAsync($"/exec/{Pod}/main?{Command("sh")}&stdin=true&stdout=true&stderr=true&tty=true");
        await session.SendAsync(Stdin, "tty; exit\r");
        await session.ReadToEndAsync();

        Assert.Matches(@"\r\n/dev/pts/[0-9]+\r\n", session.Text(Stdout));
        Assert.Equal("", session.Text(Stderr));
        Assert.Equal("Success", (string?)StatusOf(session)["status"]);
    }

    [Fact]
    public async Task Exec_may_name_the_pod_by_uid()
    {
        using var session = await OpenAsync($"/exec/{Pod}/{node.Pod.Metadata!.Uid}/main?{Command("echo", "by-uid")}&output=1");
        await session.ReadToEndAsync();

        Assert.Equal("by-uid\n", session.Text(Stdout));
    }

    [Fact]
    public async Task Attach_joins_a_shell_started_with_stdin_and_a_terminal()
    {
        using var session = await OpenAsync($"/attach/{Pod}/shell?input=1&output=1&tty=1");
        // The arithmetic shows only in the shell's answer, not in the terminal's echo of the line.
        await session.SendAsync(Stdin, "echo attached-$((40+2))\r");
        await session.WaitForAsync(Stdout, text => text.Contains("attached-42", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Port_forward_over_WebSocket_reaches_the_pods_port_and_reports_a_closed_one_on_its_error_channel()
    {
        using var session = await OpenAsync($"/portForward/{Pod}?port=80&port=81");
        await session.SendAsync(0, "GET / HTTP/1.0\r\nHost: localhost\r\n\r\n");
        await session.ReadToEndAsync(TimeSpan.FromSeconds(60));

        // Every channel starts with its port, little-endian: data 0 and error 1 for 80, data 2 and error 3 for 81.
        Assert.All([0, 1], channel => Assert.Equal([80, 0], session.Messages(channel)[0]));
        Assert.All([2, 3], channel => Assert.Equal([81, 0], session.Messages(channel)[0]));
        Assert.Contains("Welcome to nginx!", session.Text(0), StringComparison.Ordinal);
        Assert.Equal("P\0", session.Text(1));
        Assert.Contains("error forwarding port 81", session.Text(3), StringComparison.Ordinal);
        Assert.Contains("connection refused", session.Text(3), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/exec/{pod}/main?command=true&output=1", "v4.channel.k8s.io")]
    [InlineData("/portForward/{pod}", "portforward.k8s.io")]
    public async Task A_SPDY_upgrade_is_answered_with_the_protocol_containerd_chose(string path, string protocol)
    {
        await using var exchange = await node.Kubelet.UpgradeAsync("POST", path.Replace("{pod}", Pod, StringComparison.Ordinal),
            KubeletStreamClient.SpdyHeaders(protocol == "portforward.k8s.io" ? [protocol] : ["v5.channel.k8s.io", V4, "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io"]));

        Assert.Equal(101, exchange.StatusCode);
        Assert.Equal("SPDY/3.1", exchange.Response.Header("Upgrade"));
        Assert.Equal(protocol, exchange.Response.Header("X-Stream-Protocol-Version"));
    }

    [Fact]
    public async Task WebSocket_v5_is_refused_by_containerd_and_the_refusal_relayed()
    {
        // containerd 1.6 speaks WebSocket up to v4: the API server translates kubectl's v5 before it reaches a kubelet.
        await using var exchange = await node.Kubelet.UpgradeAsync("GET", $"/exec/{Pod}/main?command=true&output=1",
            KubeletStreamClient.WebSocketHeaders("v5.channel.k8s.io"));

        Assert.Equal((403, ""), (exchange.StatusCode, exchange.Body));
    }

    public static TheoryData<string, int, string> Refusals => new()
    {
        { "/exec/{ns}/nothing/main?command=true&output=1", 404, "pod does not exist" },
        { "/exec/{ns}/streams/nothing?command=true&output=1", 500, "container not found (\"nothing\")" },
        { "/exec/{ns}/streams/finished?command=true&output=1", 500, "container not found (\"finished\")" },
        { "/exec/{ns}/streams/00000000-0000-0000-0000-000000000000/main?command=true&output=1", 500, "container not found (\"main\")" },
        { "/exec/{ns}/streams/main?command=true", 400, "you must specify at least 1 of stdin, stdout, stderr" },
        { "/exec/{ns}/streams/main?command=true&output=0&error=false", 400, "you must specify at least 1 of stdin, stdout, stderr" },
        { "/attach/{ns}/nothing/shell?output=1", 404, "pod does not exist" },
        { "/attach/{ns}/streams/nothing?output=1", 500, "container nothing not found in pod streams_{ns}" },
        { "/attach/{ns}/streams/finished?output=1", 500, "container finished not found in pod streams_{ns}" },
        { "/portForward/{ns}/nothing?port=80", 404, "pod does not exist" },
        { "/portForward/{ns}/streams/00000000-0000-0000-0000-000000000000?port=80", 404, "pod not found" },
        { "/portForward/{ns}/streams", 400, "query parameter \"port\" is required" },
        { "/portForward/{ns}/streams?port=", 400, "query parameter \"port\" cannot be empty" },
        { "/portForward/{ns}/streams?port=http", 400, "unable to parse \"http\" as a port: strconv.ParseUint: parsing \"http\": invalid syntax" },
        { "/portForward/{ns}/streams?port=80,70000", 400, "unable to parse \"80,70000\" as a port: strconv.ParseUint: parsing \"70000\": value out of range" },
        { "/portForward/{ns}/streams?port=0", 400, "port \"0\" must be > 0" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Refusals_carry_upstreams_code_and_words(string path, int code, string text)
    {
        await using var exchange = await node.Kubelet.UpgradeAsync("GET", path.Replace("{ns}", node.Namespace, StringComparison.Ordinal),
            KubeletStreamClient.WebSocketHeaders(V4));

        Assert.Equal((code, text.Replace("{ns}", node.Namespace, StringComparison.Ordinal)), (exchange.StatusCode, exchange.Body));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task A_request_that_does_not_upgrade_is_refused_after_the_lookups(string method)
    {
        var http = node.Kubelet.Http(node.Kubelet.ApiServer);
        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/exec/{Pod}/main?command=true&output=1"));

        Assert.Equal((500, "Upgrade request required\n"), ((int)response.StatusCode, await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Callers_without_a_certificate_or_the_right_identity_are_refused()
    {
        var spdy = KubeletStreamClient.SpdyHeaders(V4);
        await using (var anonymous = await node.Kubelet.UpgradeAsync("POST", $"/exec/{Pod}/main?command=true&output=1", spdy, anonymous: true))
        {
            Assert.Equal((401, "Unauthorized"), (anonymous.StatusCode, anonymous.Body));
        }

        var bob = node.Kubelet.Client("bob", "developers");
        await using (var exec = await node.Kubelet.UpgradeAsync("POST", $"/exec/{Pod}/main?command=true&output=1", spdy, bob))
        {
            Assert.Equal((403, "Forbidden (user=bob, verb=create, resource=nodes, subresource=proxy)"), (exec.StatusCode, exec.Body));
        }

        await using (var forward = await node.Kubelet.UpgradeAsync("GET", $"/portForward/{Pod}?port=80", KubeletStreamClient.WebSocketHeaders(V4), bob))
        {
            Assert.Equal((403, "Forbidden (user=bob, verb=get, resource=nodes, subresource=proxy)"), (forward.StatusCode, forward.Body));
        }

        // system:masters may, as on upstream's kubelet through system:kubelet-api-admin.
        await using var admin = await node.Kubelet.UpgradeAsync("POST", $"/exec/{Pod}/main?command=true&output=1", spdy, node.Kubelet.Client("admin", "system:masters"));
        Assert.Equal(101, admin.StatusCode);
    }
}
