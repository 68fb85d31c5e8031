using System.Net;
using System.Net.Sockets;
using Korral.ApiServer.Adapters;
using Korral.ApiServer.Hosting;
using Korral.Storage.Sqlite;

namespace Korral.Kubelet.Tests.Join;

/// <summary>A real API server in-process over SQLite in a temporary directory, on a free loopback port, with its log kept.</summary>
public sealed class JoinServer : IAsyncDisposable
{
    private readonly List<string> _log = [];
    private SqliteStore _store = null!;

    private JoinServer(string dir) => DataDir = dir;

    public string DataDir { get; }

    public ApiServerHost Host { get; private set; } = null!;

    public static async Task<JoinServer> StartAsync()
    {
        var server = new JoinServer(Path.Combine(Path.GetTempPath(), "korral-kubelet-join-tests", Guid.NewGuid().ToString("n")));
        Directory.CreateDirectory(server.DataDir);
        server._store = await SqliteStore.OpenAsync(new SqliteStoreOptions { DatabasePath = Path.Combine(server.DataDir, "db", "state.db") }, CancellationToken.None);
        for (var attempt = 1; ; attempt++)
        {
            var options = new ApiServerOptions { DataDir = server.DataDir, BindAddress = IPAddress.Loopback, Port = FreePort() };
            try
            {
                server.Host = await ApiServerHost.StartAsync(options, server._store, DefaultParts.Create(), server.Log, CancellationToken.None);
                return server;
            }
            catch (IOException) when (attempt < 10)
            {
            }
        }
    }

    public void Log(string line)
    {
        lock (_log)
        {
            _log.Add(line);
        }
    }

    public string LogText()
    {
        lock (_log)
        {
            return string.Join("\n", _log);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await _store.DisposeAsync();
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
