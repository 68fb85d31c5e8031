using System.Net;
using System.Net.Sockets;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.ApiServer.Adapters;
using Korral.ApiServer.Hosting;
using Korral.Client;
using Korral.Kubelet.Status;
using Korral.Storage.Sqlite;
using static Korral.Kubelet.Tests.Status.StatusFixtures;

namespace Korral.Kubelet.Tests.Status;

/// <summary>The status patch against Korral's API server: what the lead's status writer will do, end to end.</summary>
public sealed class PodStatusApiServerTests : IAsyncLifetime
{
    private string _dir = "";
    private SqliteStore? _store;
    private ApiServerHost? _host;
    private KubeClient? _client;

    public async Task InitializeAsync()
    {
        _dir = Path.Combine(Path.GetTempPath(), "korral-kubelet-status-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(_dir);
        _store = await SqliteStore.OpenAsync(new SqliteStoreOptions { DatabasePath = Path.Combine(_dir, "db", "state.db") }, CancellationToken.None);
        for (var attempt = 1; _host is null; attempt++)
        {
            try
            {
                var options = new ApiServerOptions { DataDir = _dir, BindAddress = IPAddress.Loopback, Port = FreePort() };
                _host = await ApiServerHost.StartAsync(options, _store, DefaultParts.Create(), _ => { }, CancellationToken.None);
            }
            catch (IOException) when (attempt < 10)
            {
                // The free port was taken between probing and binding: try another.
            }
        }

        _client = new KubeClient(new KubeClientOptions
        {
            Server = _host.Url,
            ClientCertificate = _host.Certificates.IssueClient("admin", ["system:masters"], DateTimeOffset.UtcNow),
            CertificateAuthorities = [_host.Certificates.Authority],
        });
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task WrittenStatusReadsBackAsComputedAndNeedsNoFurtherWrite()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ct = timeout.Token;
        var pods = _client!.Resource<Pod>();
        var ns = await CreateNamespaceAsync(ct);
        var spec = Pod([Nginx(), Busybox("log")], init: [Busybox("init-db")]);
        var created = await pods.CreateAsync(new Pod { Metadata = new ObjectMeta { Name = "web", Namespace = ns }, Spec = spec.Spec }, ct);

        // Pending with an init container running, then running: each write leaves nothing more to write.
        var states = new[]
        {
            State(Sandbox(), Running("init-db", 0, Scheduled.AddSeconds(3), busybox: true)),
            State(
                Sandbox(),
                Exited("init-db", 0, Scheduled.AddSeconds(3), Scheduled.AddSeconds(4), 0, "Completed", busybox: true),
                Running("web", 0, Scheduled.AddSeconds(5)),
                Running("log", 0, Scheduled.AddSeconds(5), busybox: true)),
        };
        var pod = created;
        PodStatus? previous = null;
        foreach (var state in states)
        {
            var status = PodStatusBuilder.Build(pod, state, Context(previous: previous) with { Now = DateTimeOffset.UtcNow });
            Assert.True(PodStatusComparison.NeedsUpdate(pod, status));
            pod = await pods.PatchStatusAsync(ns, "web", PodStatusPatch.Type, PodStatusPatch.Create(pod, status)!, ct);

            Assert.False(PodStatusComparison.NeedsUpdate(pod, status));
            Assert.Null(PodStatusPatch.Create(pod, status));
            Assert.Equal(created.Status!.QosClass, pod.Status!.QosClass);
            previous = status;
        }

        Assert.Equal("Running", pod.Status!.Phase);
        Assert.Equal(["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"], pod.Status.Conditions!.Select(c => c.Type));
        Assert.Equal(["log", "web"], pod.Status.ContainerStatuses!.Select(c => c.Name));
        Assert.Equal("10.42.0.7", pod.Status.PodIP);
    }

    private async Task<string> CreateNamespaceAsync(CancellationToken ct)
    {
        var name = "status-" + Guid.NewGuid().ToString("n")[..8];
        await _client!.Resource<Namespace>().CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = name } }, ct);
        return name;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
