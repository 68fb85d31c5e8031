using System.Net;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.ApiServer.Security;
using Korral.Kubelet.Pods;
using Korral.Kubelet.Server;
using Korral.Kubelet.Streaming;
using Korral.Kubelet.Tests.Logs;
using Korral.Kubelet.Tests.Server;

namespace Korral.Kubelet.Tests.Streaming;

/// <summary>
/// The kubelet server's streaming endpoints without containerd: one pod "default/web" (containers "main", and "console"
/// with a terminal) in the registry, a <see cref="FakeStreamingRuntime"/> and a <see cref="FakeStreamingServer"/> its
/// URLs point at, so the tests see exactly what the kubelet asks of the runtime and sends on.
/// </summary>
public sealed class StreamingRelayFixture : IAsyncLifetime
{
    public const string PodUid = "6b1d4c0e-0000-4000-8000-000000000001";

    private readonly TempDir _dir = new();
    private KubeletServer? _server;

    public FakeStreamingRuntime Runtime { get; private set; } = null!;

    public FakeStreamingServer Upstream { get; } = new();

    public KubeletStreamClient Kubelet { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var certificates = ClusterCertificates.LoadOrCreate(Path.Combine(_dir.Path, "ca"), now).Certificates;
        var pods = new PodRegistry();
        pods.Update(new Pod
        {
            Metadata = new ObjectMeta { Name = "web", Namespace = "default", Uid = PodUid },
            Spec = new PodSpec { Containers = [new Container { Name = "main" }, new Container { Name = "console", Tty = true, Stdin = true }] },
        });
        var runtime = FakeStreamingRuntime.Create(out var fake);
        Runtime = fake;
        _server = await KubeletServer.StartAsync(new KubeletServerOptions
        {
            BindAddress = IPAddress.Loopback,
            Port = 0,
            ServingCertificate = certificates.IssueServing("kubelet", ["localhost"], [IPAddress.Loopback], now),
            ClientCertificateAuthority = certificates.Authority,
        }, new FakeLogSource(), new StreamingSource(pods, runtime), CancellationToken.None);
        Kubelet = new KubeletStreamClient(_server.Url, certificates);
    }

    public async Task DisposeAsync()
    {
        Kubelet?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        await Upstream.DisposeAsync();
        _dir.Dispose();
    }
}
