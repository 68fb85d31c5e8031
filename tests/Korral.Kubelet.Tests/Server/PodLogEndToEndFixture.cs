using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.ApiServer.Adapters;
using Korral.ApiServer.Hosting;
using Korral.Client;
using Korral.Kubelet.Logs;
using Korral.Kubelet.Server;
using Korral.Kubelet.Tests.Logs;
using Korral.Storage.Sqlite;

namespace Korral.Kubelet.Tests.Server;

/// <summary>
/// The whole path of <c>kubectl logs</c> in one process: a real API server over SQLite, a kubelet server on 127.0.0.1
/// with a serving certificate from the cluster CA, and a Node whose status points at it (InternalIP and kubelet port).
/// </summary>
public sealed class PodLogEndToEndFixture : IAsyncLifetime
{
    public const string NodeName = "node-e2e";

    private readonly List<string> _log = [];
    private SqliteStore? _store;

    public TempDir Dir { get; } = new();

    public ApiServerHost Api { get; private set; } = null!;

    public KubeletServer Kubelet { get; private set; } = null!;

    public KubeClient Client { get; private set; } = null!;

    /// <summary>Raw HTTPS to the API server as an admin (the log subresource is plain text).</summary>
    public HttpClient Http { get; private set; } = null!;

    public StatusBackedLogSource Logs { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _store = await SqliteStore.OpenAsync(new SqliteStoreOptions { DatabasePath = Path.Combine(Dir.Path, "db", "state.db") }, CancellationToken.None);
        for (var attempt = 1; ; attempt++)
        {
            var options = new ApiServerOptions { DataDir = Path.Combine(Dir.Path, "server"), BindAddress = IPAddress.Loopback, Port = FreePort() };
            try
            {
                Api = await ApiServerHost.StartAsync(options, _store, DefaultParts.Create(), Log, CancellationToken.None);
                break;
            }
            catch (IOException) when (attempt < 5)
            {
            }
        }

        var now = DateTimeOffset.UtcNow;
        var authority = Api.Certificates.Authority;
        var admin = Api.Certificates.IssueClient("admin", ["system:masters"], now);
        Client = new KubeClient(new KubeClientOptions { Server = Api.Url, ClientCertificate = admin, CertificateAuthorities = [authority] });
        Logs = new StatusBackedLogSource(Client);
        Kubelet = await KubeletServer.StartAsync(new KubeletServerOptions
        {
            BindAddress = IPAddress.Loopback,
            Port = 0,
            ServingCertificate = Api.Certificates.IssueServing(NodeName, [NodeName, "localhost"], [IPAddress.Loopback], now),
            ClientCertificateAuthority = authority,
            Follow = new ContainerLogFollowSettings { PollInterval = TimeSpan.FromMilliseconds(10), StateCheckPeriod = TimeSpan.Zero },
            Log = Log,
        }, Logs, CancellationToken.None);

        Http = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, cert, _, _) => cert is X509Certificate2 serving && ChainsTo(serving, authority),
                LocalCertificateSelectionCallback = (_, _, _, _, _) => admin,
                ClientCertificates = new X509CertificateCollection { admin },
            },
        })
        { BaseAddress = Api.Url, Timeout = TimeSpan.FromSeconds(30) };

        var node = await Client.Resource<Node>().CreateAsync(new Node { Metadata = new ObjectMeta { Name = NodeName } }, CancellationToken.None);
        node.Status = new NodeStatus
        {
            Addresses = [new NodeAddress { Type = "InternalIP", Address = "127.0.0.1" }, new NodeAddress { Type = "Hostname", Address = NodeName }],
            DaemonEndpoints = new NodeDaemonEndpoints { KubeletEndpoint = new DaemonEndpoint { Port = Kubelet.Port } },
        };
        await Client.Resource<Node>().UpdateStatusAsync(node, CancellationToken.None);
    }

    public void Log(string line)
    {
        lock (_log)
        {
            _log.Add(line);
        }
    }

    private static bool ChainsTo(X509Certificate2 serving, X509Certificate2 authority)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(serving);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        Client?.Dispose();
        if (Kubelet is not null)
        {
            await Kubelet.DisposeAsync();
        }

        if (Api is not null)
        {
            await Api.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        Dir.Dispose();
    }
}
