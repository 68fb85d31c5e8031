using System.Net;
using System.Net.Sockets;
using System.Text;
using Google.Protobuf;
using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Cri.V1;
using Korral.Kubelet.Probes;
using Container = Korral.Api.Models.CoreV1.Container;

namespace Korral.Kubelet.Tests.Probes;

public sealed class ProberTests : IDisposable
{
    private readonly HttpClient _http = Prober.CreateHttpClient();
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public ProberTests() => _listener.Start();

    private int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Dispose()
    {
        _listener.Stop();
        _listener.Dispose();
        _http.Dispose();
    }

    /// <summary>Answers one HTTP request with <paramref name="status"/> and returns the request's head.</summary>
    private async Task<string> ServeOnceAsync(int status)
    {
        using var client = await _listener.AcceptTcpClientAsync();
        var stream = client.GetStream();
        var head = new StringBuilder();
        var buffer = new byte[4096];
        while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                break;
            }

            head.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
        return head.ToString();
    }

    [Theory]
    [InlineData(200, true, "")]
    [InlineData(302, true, "")]
    [InlineData(404, false, "HTTP probe failed with statuscode: 404")]
    [InlineData(500, false, "HTTP probe failed with statuscode: 500")]
    public async Task HttpGetSucceedsOn200To399(int status, bool success, string output)
    {
        var prober = new Prober(ExecRuntime.Create(out _), _http);
        var probe = new Probe { HttpGet = new HTTPGetAction { Path = "/healthz", Port = IntOrString.FromInt(Port) } };

        var served = ServeOnceAsync(status);
        var outcome = await prober.RunAsync(probe, new Container { Name = "app" }, "c1", "127.0.0.1", CancellationToken.None);

        Assert.Equal(new ProbeOutcome(success, output), outcome);
        Assert.StartsWith("GET /healthz HTTP/1.1\r\n", await served, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpGetSendsKubeProbeUserAgentAndTheProbesHeadersToANamedPort()
    {
        var prober = new Prober(ExecRuntime.Create(out _), _http);
        var probe = new Probe
        {
            HttpGet = new HTTPGetAction { Path = "/", Port = IntOrString.FromString("web"), HttpHeaders = [new HTTPHeader { Name = "X-Probe", Value = "yes" }] },
        };
        var container = new Container { Name = "app", Ports = [new ContainerPort { Name = "web", ContainerPortValue = Port }] };

        var served = ServeOnceAsync(200);
        Assert.True((await prober.RunAsync(probe, container, "c1", "127.0.0.1", CancellationToken.None)).Success);

        var head = await served;
        Assert.Contains("\r\nUser-Agent: kube-probe/1.33\r\n", head, StringComparison.Ordinal);
        Assert.Contains("\r\nX-Probe: yes\r\n", head, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TcpSocketSucceedsWhenAConnectionOpensAndFailsWhenRefused()
    {
        var prober = new Prober(ExecRuntime.Create(out _), _http);
        var open = new Probe { TcpSocket = new TCPSocketAction { Port = IntOrString.FromInt(Port) } };
        Assert.True((await prober.RunAsync(open, new Container(), "c1", "127.0.0.1", CancellationToken.None)).Success);

        var closedPort = Port;
        _listener.Stop();
        var outcome = await prober.RunAsync(open, new Container(), "c1", "127.0.0.1", CancellationToken.None);
        Assert.Equal(ProbeOutcome.Failed($"dial tcp 127.0.0.1:{closedPort}: connect: connection refused"), outcome);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, false)]
    public async Task ExecRunsThroughExecSyncWithTheTimeout(int exitCode, bool success)
    {
        var prober = new Prober(ExecRuntime.Create(out var runtime), _http);
        runtime.Response = new ExecSyncResponse { ExitCode = exitCode, Stdout = ByteString.CopyFromUtf8("out\n"), Stderr = ByteString.CopyFromUtf8("err\n") };
        var probe = new Probe { Exec = new ExecAction { Command = ["cat", "/tmp/healthy"] }, TimeoutSeconds = 3 };

        var outcome = await prober.RunAsync(probe, new Container(), "c1", null, CancellationToken.None);

        Assert.Equal(new ProbeOutcome(success, "out\nerr\n"), outcome);
        var request = Assert.Single(runtime.Requests);
        Assert.Equal(("c1", 3L, "cat /tmp/healthy"), (request.ContainerId, request.Timeout, string.Join(' ', request.Cmd)));
    }
}
