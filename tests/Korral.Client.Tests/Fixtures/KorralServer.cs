using System.Net;
using System.Net.Sockets;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.ApiServer.Adapters;
using Korral.ApiServer.Hosting;
using Korral.ApiServer.Http;
using Korral.Storage.Sqlite;

namespace Korral.Client.Tests.Fixtures;

/// <summary>
/// A real API server in-process over a SQLite store in a temporary directory, on a fixed loopback port so that it can be
/// stopped and started again (<see cref="StopAsync"/>, <see cref="StartAgainAsync"/>) under the same URL, with the store
/// kept open in between (tests may change it directly while the server is down). Bookmarks every 300 ms.
/// </summary>
public sealed class KorralServer : IAsyncDisposable
{
    private readonly List<string> _log = [];
    private readonly List<KubeClient> _clients = [];
    private ApiServerHost? _host;

    private KorralServer(string dataDir, SqliteStore store)
    {
        DataDir = dataDir;
        Store = store;
    }

    public string DataDir { get; }

    public SqliteStore Store { get; }

    public ApiServerHost Host => _host ?? throw new InvalidOperationException("the server is stopped");

    public int Port { get; private set; }

    public static async Task<KorralServer> StartAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "korral-client-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(dir);
        var store = await SqliteStore.OpenAsync(new SqliteStoreOptions { DatabasePath = Path.Combine(dir, "db", "state.db") }, CancellationToken.None);
        var server = new KorralServer(dir, store);
        try
        {
            await server.StartHostAsync(pickPort: true);
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>An admin client (system:masters) trusting the cluster CA, logging into the server's log.</summary>
    public KubeClient NewClient(Func<KubeClientOptions, KubeClientOptions>? configure = null)
    {
        var options = ClientOptions("admin", ["system:masters"]);
        var client = new KubeClient(configure is null ? options : configure(options));
        lock (_clients)
        {
            _clients.Add(client);
        }

        return client;
    }

    public KubeClientOptions ClientOptions(string user, string[] groups) => new()
    {
        Server = Host.Url,
        ClientCertificate = Host.Certificates.IssueClient(user, groups, DateTimeOffset.UtcNow),
        CertificateAuthorities = [Host.Certificates.Authority],
        Log = Log,
        RetryInitialDelay = TimeSpan.FromMilliseconds(50),
        RetryMaxDelay = TimeSpan.FromMilliseconds(500),
    };

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

    /// <summary>A fresh namespace for one test.</summary>
    public async Task<string> CreateNamespaceAsync(KubeClient client, string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid():n}"[..Math.Min(prefix.Length + 9, 63)];
        await client.Resource<Namespace>().CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = name } }, CancellationToken.None);
        return name;
    }

    /// <summary>Stops the HTTP server (open watches end); the store stays open.</summary>
    public async Task StopAsync()
    {
        if (_host is { } host)
        {
            _host = null;
            await host.DisposeAsync();
        }
    }

    /// <summary>Starts the server again on the same port and store; its watch cache starts at the store's current revision.</summary>
    public Task StartAgainAsync() => StartHostAsync(pickPort: false);

    public async ValueTask DisposeAsync()
    {
        lock (_clients)
        {
            foreach (var c in _clients)
            {
                c.Dispose();
            }
        }

        await StopAsync();
        await Store.DisposeAsync();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task StartHostAsync(bool pickPort)
    {
        var parts = DefaultParts.Create() with { Watch = new WatchSettings { BookmarkInterval = TimeSpan.FromMilliseconds(300) } };
        for (var attempt = 1; ; attempt++)
        {
            if (pickPort)
            {
                Port = FreePort();
            }

            var options = new ApiServerOptions { DataDir = DataDir, BindAddress = IPAddress.Loopback, Port = Port };
            try
            {
                _host = await ApiServerHost.StartAsync(options, Store, parts, Log, CancellationToken.None);
                return;
            }
            catch (IOException) when (attempt < 10)
            {
                // Another process took the port (pick another), or the old listener is not gone yet (wait).
                if (!pickPort)
                {
                    await Task.Delay(200);
                }
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
