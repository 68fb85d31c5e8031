using System.Net;
using Korral.ApiServer.Adapters;
using Korral.ApiServer.Hosting;
using Korral.Client;
using Korral.Storage.Sqlite;

namespace Korral.Ingress.Tests.Fixtures;

/// <summary>A real API server in-process over SQLite in a temporary directory; clients are admins trusting its CA.</summary>
public sealed class TestCluster : IAsyncLifetime
{
    private readonly List<KubeClient> _clients = [];
    private readonly List<string> _log = [];
    private TempDirectory? _directory;
    private SqliteStore? _store;
    private ApiServerHost? _host;

    public async Task InitializeAsync()
    {
        _directory = new TempDirectory("apiserver");
        _store = await SqliteStore.OpenAsync(new SqliteStoreOptions { DatabasePath = Path.Combine(_directory.Path, "db", "state.db") }, CancellationToken.None);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var options = new ApiServerOptions { DataDir = _directory.Path, BindAddress = IPAddress.Loopback, Port = FreePorts.One() };
                _host = await ApiServerHost.StartAsync(options, _store, DefaultParts.Create(), _ => { }, CancellationToken.None);
                return;
            }
            catch (IOException) when (attempt < 10)
            {
            }
        }
    }

    public KubeClient NewClient()
    {
        var client = new KubeClient(new KubeClientOptions
        {
            Server = _host!.Url,
            ClientCertificate = _host.Certificates.IssueClient("admin", ["system:masters"], DateTimeOffset.UtcNow),
            CertificateAuthorities = [_host.Certificates.Authority],
            Log = Log,
            RetryInitialDelay = TimeSpan.FromMilliseconds(50),
            RetryMaxDelay = TimeSpan.FromMilliseconds(500),
        });
        lock (_clients)
        {
            _clients.Add(client);
        }

        return client;
    }

    public void Log(string line)
    {
        lock (_log)
        {
            _log.Add($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {line}");
        }
    }

    public string LogText()
    {
        lock (_log)
        {
            return string.Join("\n", _log);
        }
    }

    public async Task DisposeAsync()
    {
        lock (_clients)
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }
        }

        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        _directory?.Dispose();
    }
}
