using System.Net;
using System.Net.Sockets;
using Korral.ApiServer.Adapters;
using Korral.ApiServer.Hosting;
using Korral.Client;
using Korral.Storage.Sqlite;

namespace Korral.Dns.Tests.Fixtures;

/// <summary>A real API server in-process over SQLite in a temporary directory; clients are admins trusting its CA.</summary>
public sealed class TestApiServer : IAsyncDisposable
{
    private readonly List<KubeClient> _clients = [];

    private TestApiServer(string dir, SqliteStore store, ApiServerHost host)
    {
        DataDir = dir;
        Store = store;
        Host = host;
    }

    public string DataDir { get; }

    public SqliteStore Store { get; }

    public ApiServerHost Host { get; }

    public static async Task<TestApiServer> StartAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "korral-dns-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(dir);
        var store = await SqliteStore.OpenAsync(new SqliteStoreOptions { DatabasePath = Path.Combine(dir, "db", "state.db") }, CancellationToken.None);
        for (var attempt = 1; ; attempt++)
        {
            var options = new ApiServerOptions { DataDir = dir, BindAddress = IPAddress.Loopback, Port = FreePort() };
            try
            {
                var host = await ApiServerHost.StartAsync(options, store, DefaultParts.Create(), _ => { }, CancellationToken.None);
                return new TestApiServer(dir, store, host);
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
            Server = Host.Url,
            ClientCertificate = Host.Certificates.IssueClient("admin", ["system:masters"], DateTimeOffset.UtcNow),
            CertificateAuthorities = [Host.Certificates.Authority],
            RetryInitialDelay = TimeSpan.FromMilliseconds(50),
            RetryMaxDelay = TimeSpan.FromMilliseconds(500),
        });
        lock (_clients)
        {
            _clients.Add(client);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        lock (_clients)
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }
        }

        await Host.DisposeAsync();
        await Store.DisposeAsync();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
