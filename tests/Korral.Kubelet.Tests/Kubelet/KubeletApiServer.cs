using System.Net;
using System.Net.Sockets;
using Korral.ApiServer.Adapters;
using Korral.ApiServer.Hosting;
using Korral.Client;
using Korral.Storage.Sqlite;

namespace Korral.Kubelet.Tests.Kubelet;

/// <summary>
/// A real API server over SQLite on 127.0.0.1 for the kubelet tests of one class, with an admin client for the tests.
/// No controller manager and no scheduler run: the tests bind pods themselves (spec.nodeName) and see exactly what the
/// kubelet writes.
/// </summary>
public sealed class KubeletApiServer : IAsyncLifetime
{
    private const int MaxPortAttempts = 5;

    private readonly string _root = Directory.CreateTempSubdirectory("korral-kubelet-api-").FullName;
    private readonly List<string> _log = [];
    private SqliteStore? _store;
    private ApiServerHost? _api;
    private KubeClient? _admin;

    public ApiServerHost Api => _api ?? throw new InvalidOperationException("the API server is not started");

    /// <summary>A cluster admin, for what the tests create, read and delete.</summary>
    public KubeClient Admin => _admin ?? throw new InvalidOperationException("the API server is not started");

    public async Task InitializeAsync()
    {
        _store = await SqliteStore.OpenAsync(new SqliteStoreOptions { DatabasePath = Path.Combine(_root, "db", "state.db") }, CancellationToken.None);
        for (var attempt = 1; ; attempt++)
        {
            var options = new ApiServerOptions { DataDir = Path.Combine(_root, "server"), BindAddress = IPAddress.Loopback, Port = FreePort() };
            try
            {
                _api = await ApiServerHost.StartAsync(options, _store, DefaultParts.Create(), Log, CancellationToken.None);
                break;
            }
            catch (IOException) when (attempt < MaxPortAttempts)
            {
                // The probed port was taken before the server bound it: try another.
            }
        }

        _admin = ClientFor("admin", ["system:masters"]);
    }

    /// <summary>A client authenticated with a certificate of the cluster CA for this user and groups.</summary>
    public KubeClient ClientFor(string user, IReadOnlyList<string> groups) => new(new KubeClientOptions
    {
        Server = Api.Url,
        ClientCertificate = Api.Certificates.IssueClient(user, groups, DateTimeOffset.UtcNow),
        CertificateAuthorities = [Api.Certificates.Authority],
    });

    private void Log(string line)
    {
        lock (_log)
        {
            _log.Add(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task DisposeAsync()
    {
        _admin?.Dispose();
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
