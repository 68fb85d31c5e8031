using System.Net;
using System.Net.Sockets;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.ApiServer.Adapters;
using Korral.ApiServer.Hosting;
using Korral.Client;
using Korral.Client.Events;
using Korral.Client.Informers;
using Korral.Controllers.Manager;
using Korral.Storage.Sqlite;

namespace Korral.Controllers.Tests.Manager;

/// <summary>
/// A real API server in-process over SQLite in a temporary directory, for the endpoints, manager and simulator tests;
/// clients are admins trusting the cluster CA. <see cref="RunControllerAsync"/> runs one controller the way the manager
/// does (shared informers, synced before the workers start).
/// </summary>
public sealed class TestApiServer : IAsyncDisposable
{
    private readonly List<KubeClient> _clients = [];
    private readonly List<string> _log = [];

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
        var dir = Path.Combine(Path.GetTempPath(), "korral-controllers-tests", Guid.NewGuid().ToString("n"));
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

    public KubeClient NewClient(string user = "admin")
    {
        var client = new KubeClient(new KubeClientOptions
        {
            Server = Host.Url,
            ClientCertificate = Host.Certificates.IssueClient(user, ["system:masters"], DateTimeOffset.UtcNow),
            CertificateAuthorities = [Host.Certificates.Authority],
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

    /// <summary>A fresh namespace for one test.</summary>
    public async Task<string> CreateNamespaceAsync(KubeClient client, string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid():n}"[..(prefix.Length + 9)];
        await client.Resource<Korral.Api.Models.CoreV1.Namespace>().CreateAsync(new Korral.Api.Models.CoreV1.Namespace { Metadata = new ObjectMeta { Name = name } }, CancellationToken.None);
        return name;
    }

    /// <summary>Builds a controller over its own informers, starts them, waits for sync and runs its workers until disposed.</summary>
    public async Task<IAsyncDisposable> RunControllerAsync(KubeClient client, Func<ControllerContext, IController> create, int workers = 2)
    {
        var informers = new SharedInformerFactory(client, new InformerOptions { Log = Log });
        var events = new EventRecorder(client, new EventRecorderOptions { Component = "test" });
        var controller = create(new ControllerContext(client, informers, events, TimeProvider.System, Log));
        var stop = new CancellationTokenSource();
        informers.Start(stop.Token);
        await informers.WaitForCacheSyncAsync(stop.Token).WaitAsync(TimeSpan.FromSeconds(30));
        var run = controller.RunAsync(workers, stop.Token);
        return new Running(stop, run, informers, events);
    }

    public async ValueTask DisposeAsync()
    {
        lock (_clients)
        {
            foreach (var c in _clients)
            {
                c.Dispose();
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

    private sealed class Running(CancellationTokenSource stop, Task run, SharedInformerFactory informers, EventRecorder events) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await run;
            await informers.DisposeAsync();
            await events.DisposeAsync();
            stop.Dispose();
        }
    }
}
