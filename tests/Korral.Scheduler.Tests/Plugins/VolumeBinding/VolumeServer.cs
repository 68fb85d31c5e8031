using System.Net;
using System.Net.Sockets;
using Korral.ApiServer.Adapters;
using Korral.ApiServer.Hosting;
using Korral.Client;
using Korral.Storage.Sqlite;

namespace Korral.Scheduler.Tests.Plugins.VolumeBinding;

/// <summary>A real API server in-process over SQLite in a temporary directory, with an admin client.</summary>
internal sealed class VolumeServer : IAsyncDisposable
{
    private VolumeServer(string dir, SqliteStore store, ApiServerHost host)
    {
        DataDir = dir;
        Store = store;
        Host = host;
        Client = new KubeClient(new KubeClientOptions
        {
            Server = host.Url,
            ClientCertificate = host.Certificates.IssueClient("admin", ["system:masters"], DateTimeOffset.UtcNow),
            CertificateAuthorities = [host.Certificates.Authority],
        });
    }

    public string DataDir { get; }

    public SqliteStore Store { get; }

    public ApiServerHost Host { get; }

    public KubeClient Client { get; }

    public static async Task<VolumeServer> StartAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "korral-scheduler-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(dir);
        var store = await SqliteStore.OpenAsync(new SqliteStoreOptions { DatabasePath = Path.Combine(dir, "db", "state.db") }, CancellationToken.None);
        for (var attempt = 1; ; attempt++)
        {
            var options = new ApiServerOptions { DataDir = dir, BindAddress = IPAddress.Loopback, Port = FreePort() };
            try
            {
                var host = await ApiServerHost.StartAsync(options, store, DefaultParts.Create(), _ => { }, CancellationToken.None);
                return new VolumeServer(dir, store, host);
            }
            catch (IOException) when (attempt < 10)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
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
