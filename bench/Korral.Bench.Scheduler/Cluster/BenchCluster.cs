using System.Net;
using System.Net.Sockets;
using Korral.ApiServer.Adapters;
using Korral.ApiServer.Hosting;
using Korral.Client;
using Korral.Scheduler.Hosting;
using Korral.Scheduler.Scheduling;
using Korral.Storage.Sqlite;

namespace Korral.Bench.Scheduler.Cluster;

/// <summary>
/// One workload's cluster, all in this process: the SQLite store in a fresh temp directory, the API server on a free
/// loopback port, and (once started) the scheduler as its own client with the kube-scheduler identity, exactly as
/// `korral server` runs it but without leader election (it is the only scheduler). No controller manager, no kubelets.
/// </summary>
public sealed class BenchCluster : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<IDisposable> _clients = [];
    private Task _scheduling = Task.CompletedTask;

    private BenchCluster(string dataDir, SqliteStore store, ApiServerHost server, RawApi admin, KubeClient client)
    {
        DataDir = dataDir;
        Store = store;
        Server = server;
        Admin = admin;
        Client = client;
        _clients.Add(client);
    }

    public string DataDir { get; }

    public SqliteStore Store { get; }

    public ApiServerHost Server { get; }

    /// <summary>The benchmark's writer (system:masters).</summary>
    public RawApi Admin { get; }

    /// <summary>A typed admin client, for reads when something needs explaining (not used while measuring).</summary>
    public KubeClient Client { get; }

    public Korral.Scheduler.Scheduling.Scheduler? Scheduler { get; private set; }

    public static async Task<BenchCluster> StartAsync(string dataRoot, Action<string> log, CancellationToken cancellationToken)
    {
        var dir = Path.Combine(dataRoot, $"korral-sched-bench-{Guid.NewGuid():n}"[..32]);
        Directory.CreateDirectory(dir);
        var store = await SqliteStore.OpenAsync(new SqliteStoreOptions { DatabasePath = Path.Combine(dir, "db", "state.db"), Log = log }, cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var options = new ApiServerOptions { DataDir = dir, BindAddress = IPAddress.Loopback, Port = FreePort() };
            try
            {
                var server = await ApiServerHost.StartAsync(options, store, DefaultParts.Create(), log, cancellationToken);
                var certificate = server.IssueClientCertificate("scheduler-bench", ["system:masters"]);
                var admin = new RawApi(server.Url, certificate, server.Certificates.Authority);
                var client = new KubeClient(new KubeClientOptions
                {
                    Server = server.Url,
                    ClientCertificate = certificate,
                    CertificateAuthorities = [server.Certificates.Authority],
                    Log = log,
                });
                return new BenchCluster(dir, store, server, admin, client);
            }
            catch (IOException) when (attempt < 10)
            {
                // The free port was taken meanwhile: try another.
            }
        }
    }

    /// <summary>Starts the scheduler and returns it once its informers have synced.</summary>
    public async Task<Korral.Scheduler.Scheduling.Scheduler> StartSchedulerAsync(SchedulerOptions options, CancellationToken cancellationToken)
    {
        var client = new KubeClient(new KubeClientOptions
        {
            Server = Server.Url,
            ClientCertificate = Server.IssueClientCertificate("system:kube-scheduler", []),
            CertificateAuthorities = [Server.Certificates.Authority],
            Log = options.Log,
        });
        _clients.Add(client);
        var host = new SchedulerHost(client, new SchedulerHostOptions { LeaderElect = false, Scheduler = options });
        _scheduling = Task.Run(() => host.RunAsync(_stop.Token), CancellationToken.None);
        await host.Started.WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
        Scheduler = host.Current ?? throw new InvalidOperationException("the scheduler stopped right after starting");
        return Scheduler;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _scheduling.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
        }

        foreach (var client in _clients)
        {
            client.Dispose();
        }

        Admin.Dispose();
        await Server.DisposeAsync();
        await Store.DisposeAsync();
        _stop.Dispose();
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
