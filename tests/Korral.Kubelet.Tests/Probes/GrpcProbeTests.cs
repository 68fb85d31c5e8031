using System.Net;
using System.Net.Sockets;
using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Probes;

namespace Korral.Kubelet.Tests.Probes;

/// <summary>grpc probes against a gRPC health server in miniature (Kestrel, h2c): upstream's results and messages.</summary>
public sealed class GrpcProbeTests : IAsyncLifetime, IDisposable
{
    private readonly HttpClient _http = Prober.CreateHttpClient();
    private GrpcHealthServer? _server;

    private GrpcHealthServer Server => _server!;

    public async Task InitializeAsync() => _server = await GrpcHealthServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public void Dispose() => _http.Dispose();

    private Task<ProbeOutcome> ProbeAsync(int port, string? service = null, int timeoutSeconds = 1) =>
        new Prober(ExecRuntime.Create(out _), _http).RunAsync(
            new Probe { Grpc = new GRPCAction { Port = port, Service = service }, TimeoutSeconds = timeoutSeconds },
            new Container { Name = "app" }, "c1", "127.0.0.1", CancellationToken.None);

    [Fact]
    public async Task ServingPassesAndTheCallIsHealthCheckWithTheService()
    {
        Server.Statuses[""] = 1;
        Server.Statuses["db"] = 1;

        Assert.Equal(ProbeOutcome.Passed("service healthy"), await ProbeAsync(Server.Port));
        Assert.Equal(ProbeOutcome.Passed("service healthy"), await ProbeAsync(Server.Port, "db"));

        Assert.Equal(
            [("/grpc.health.v1.Health/Check", "", "kube-probe/1.33", "application/grpc"), ("/grpc.health.v1.Health/Check", "db", "kube-probe/1.33", "application/grpc")],
            Server.Calls);
    }

    [Theory]
    [InlineData(2, "service unhealthy (responded with \"NOT_SERVING\")")]
    [InlineData(0, "service unhealthy (responded with \"UNKNOWN\")")]
    [InlineData(3, "service unhealthy (responded with \"SERVICE_UNKNOWN\")")]
    [InlineData(9, "service unhealthy (responded with \"9\")")]
    public async Task AnyOtherServingStatusFails(int status, string output)
    {
        Server.Statuses["api"] = status;

        Assert.Equal(ProbeOutcome.Failed(output), await ProbeAsync(Server.Port, "api"));
    }

    [Fact]
    public async Task AnUnknownServiceFailsWithTheRpcError()
    {
        Server.Statuses[""] = 1;

        Assert.Equal(ProbeOutcome.Failed("error: health rpc probe failed: rpc error: code = NotFound desc = unknown service"), await ProbeAsync(Server.Port, "nope"));
    }

    [Fact]
    public async Task AServerWithoutTheHealthServiceFailsSayingSo()
    {
        Server.Implemented = false;

        Assert.Equal(
            ProbeOutcome.Failed("error: this server does not implement the grpc health protocol (grpc.health.v1.Health): unknown service grpc.health.v1.Health"),
            await ProbeAsync(Server.Port));
    }

    [Fact]
    public async Task NothingListeningTimesOutConnecting()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        listener.Dispose();

        var outcome = await ProbeAsync(port);

        Assert.Equal(ProbeOutcome.Failed($"timeout: failed to connect service \"127.0.0.1:{port}\" within 1s: context deadline exceeded"), outcome);
    }

    [Fact]
    public async Task AnAnswerAfterTheTimeoutFails()
    {
        Server.Statuses[""] = 1;
        Server.Delay = TimeSpan.FromSeconds(30);

        Assert.Equal(ProbeOutcome.Failed("timeout: health rpc did not complete within 1s"), await ProbeAsync(Server.Port));
    }
}
