using System.Net;
using System.Net.Sockets;
using Korral.ApiServer.Adapters;
using Korral.ApiServer.Hosting;
using Korral.ApiServer.Http;
using Korral.Client;
using Korral.Storage.Sqlite;

namespace Korral.Proxy.Tests.Fixtures;

/// <summary>A real API server in-process over SQLite in a temporary directory, with an admin client.</summary>
public sealed class TestApiServer : IAsyncDisposable
{
    private readonly string _dir;
    private readonly SqliteStore _store;
    private readonly ApiServerHost _host;

    private TestApiServer(string dir, SqliteStore store, ApiServerHost host)
    {
        _dir = dir;
        _store = store;
        _host = host;
        Client = new KubeClient(new KubeClientOptions
        {
            Server = host.Url,
            ClientCertificate = host.Certificates.IssueClient("admin", ["system:masters"], DateTimeOffset.UtcNow),
            CertificateAuthorities = [host.Certificates.Authority],
        });
    }

    public KubeClient Client { get; }

    public static async Task<TestApiServer> StartAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "korral-proxy-tests", Guid.NewGuid().ToString("n"));
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
                // Another process took the port meanwhile: pick another.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _host.DisposeAsync();
        await _store.DisposeAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
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
