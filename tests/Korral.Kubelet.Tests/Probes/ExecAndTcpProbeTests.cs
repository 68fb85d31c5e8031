using System.Net;
using System.Net.Sockets;
using Google.Protobuf;
using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Cri;
using Korral.Kubelet.Cri.V1;
using Korral.Kubelet.Probes;
using Container = Korral.Api.Models.CoreV1.Container;

namespace Korral.Kubelet.Tests.Probes;

/// <summary>exec probes through a fake ExecSync and tcpSocket probes against a loopback listener.</summary>
public sealed class ExecAndTcpProbeTests : IDisposable
{
    private readonly HttpClient _http = Prober.CreateHttpClient();

    public void Dispose() => _http.Dispose();

    private Prober NewProber(out ExecRuntime runtime) => new(ExecRuntime.Create(out runtime), _http);

    private static Probe Exec(params string[] command) => new() { Exec = new ExecAction { Command = command }, TimeoutSeconds = 3 };

    [Theory]
    [InlineData(0, ProbeResult.Success)]
    [InlineData(1, ProbeResult.Failure)]
    [InlineData(137, ProbeResult.Failure)]
    public async Task ExecRunsThroughExecSyncWithTheTimeoutAndReportsStdoutThenStderr(int exitCode, ProbeResult result)
    {
        var prober = NewProber(out var runtime);
        runtime.Response = new ExecSyncResponse { ExitCode = exitCode, Stdout = ByteString.CopyFromUtf8("out\n"), Stderr = ByteString.CopyFromUtf8("err\n") };

        var outcome = await prober.RunAsync(Exec("cat", "/tmp/healthy"), new Container(), "c1", null, CancellationToken.None);

        Assert.Equal(new ProbeOutcome(result, "out\nerr\n"), outcome);
        var request = Assert.Single(runtime.Requests);
        Assert.Equal(("c1", 3L, "cat /tmp/healthy"), (request.ContainerId, request.Timeout, string.Join(' ', request.Cmd)));
    }

    [Fact]
    public async Task ExecExpandsTheContainersLiteralEnvOnly()
    {
        var prober = NewProber(out var runtime);
        var container = new Container
        {
            Env =
            [
                new EnvVar { Name = "GREETING", Value = "hello" },
                new EnvVar { Name = "FROM_SECRET", ValueFrom = new EnvVarSource { SecretKeyRef = new SecretKeySelector { Name = "s", Key = "k" } } },
            ],
        };

        await prober.RunAsync(Exec("echo", "$(GREETING)", "[$(FROM_SECRET)]", "$(MISSING)", "$$(GREETING)"), container, "c1", null, CancellationToken.None);

        Assert.Equal(["echo", "hello", "[]", "$(MISSING)", "$(GREETING)"], Assert.Single(runtime.Requests).Cmd);
    }

    [Fact]
    public async Task ExecOutputIsCutAtTenKibibytes()
    {
        var prober = NewProber(out var runtime);
        runtime.Response = new ExecSyncResponse { ExitCode = 1, Stdout = ByteString.CopyFromUtf8(new string('o', 8 * 1024)), Stderr = ByteString.CopyFromUtf8(new string('e', 8 * 1024)) };

        var outcome = await prober.RunAsync(Exec("noisy"), new Container(), "c1", null, CancellationToken.None);

        Assert.Equal(new string('o', 8 * 1024) + new string('e', 2 * 1024), outcome.Output);
    }

    [Fact]
    public async Task ARuntimeDeadlineIsATimedOutFailure()
    {
        var prober = NewProber(out var runtime);
        runtime.Error = new CriException("/runtime.v1.RuntimeService/ExecSync", CriException.DeadlineExceeded,
            "failed to exec in container: timeout 3s exceeded: context deadline exceeded");

        var outcome = await prober.RunAsync(Exec("sh", "-c", "sleep 10; echo \"done\""), new Container(), "c1", null, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Failed("command \"sh -c sleep 10; echo \\\"done\\\"\" timed out"), outcome);
    }

    [Fact]
    public async Task AnyOtherRuntimeErrorMeansTheProbeErrored()
    {
        var prober = NewProber(out var runtime);
        runtime.Error = new CriException("/runtime.v1.RuntimeService/ExecSync", CriException.Unknown,
            "failed to exec in container: failed to start exec \"abc\": OCI runtime exec failed");

        var outcome = await prober.RunAsync(Exec("missing-binary"), new Container(), "c1", null, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Errored("rpc error: code = Unknown desc = failed to exec in container: failed to start exec \"abc\": OCI runtime exec failed"), outcome);
    }

    [Fact]
    public async Task TcpSocketSucceedsWhenAConnectionOpensAndFailsWhenRefused()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var probe = new Probe { TcpSocket = new TCPSocketAction { Port = IntOrString.FromInt(port) }, TimeoutSeconds = 1 };
        var prober = NewProber(out _);
        Assert.Equal(ProbeOutcome.Passed(), await prober.RunAsync(probe, new Container(), "c1", "127.0.0.1", CancellationToken.None));

        listener.Stop();
        listener.Dispose();
        var outcome = await prober.RunAsync(probe, new Container(), "c1", "127.0.0.1", CancellationToken.None);
        Assert.Equal(ProbeOutcome.Failed($"dial tcp 127.0.0.1:{port}: connect: connection refused"), outcome);
    }

    [Fact]
    public async Task TcpSocketUsesItsHostAndANamedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var container = new Container { Ports = [new ContainerPort { Name = "db", ContainerPortValue = ((IPEndPoint)listener.LocalEndpoint).Port }] };
        var probe = new Probe { TcpSocket = new TCPSocketAction { Host = "127.0.0.1", Port = IntOrString.FromString("db") }, TimeoutSeconds = 1 };

        // The pod IP is unreachable (TEST-NET-1): only the probe's own host can pass.
        Assert.Equal(ProbeOutcome.Passed(), await NewProber(out _).RunAsync(probe, container, "c1", "192.0.2.1", CancellationToken.None));
        Assert.Equal(ProbeOutcome.Errored("port \"web\" not found"),
            await NewProber(out _).RunAsync(new Probe { TcpSocket = new TCPSocketAction { Port = IntOrString.FromString("web") } }, container, "c1", "127.0.0.1", CancellationToken.None));
    }
}
