using System.Net;
using System.Net.Sockets;
using Korral.ApiServer.Adapters;
using Korral.ApiServer.Hosting;
using Korral.ApiServer.Http;
using Korral.Client;
using Korral.Client.Events;
using Korral.Client.Informers;
using Korral.Controllers.Manager;
using Korral.Storage.Sqlite;

namespace Korral.Controllers.Tests.GarbageCollector;

/// <summary>
/// A real API server in-process (SQLite in a temporary directory, loopback port) with the given controllers running on
/// shared informers, as the manager runs them; an admin client for the test; <see cref="WaitAsync{T}"/> to await a state
/// seen through a test-side informer (each change re-checks the condition: no polling, no sleeps).
/// </summary>
public sealed class ControllerCluster : IAsyncDisposable
{
    private readonly List<string> _log = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _running = [];
    private SqliteStore? _store;
    private ApiServerHost? _host;
    private SharedInformerFactory? _informers;
    private SharedInformerFactory? _testInformers;
    private EventRecorder? _events;

    private ControllerCluster(string dataDir) => DataDir = dataDir;

    public string DataDir { get; }

    public KubeClient Client { get; private set; } = null!;

    public ControllerContext Context { get; private set; } = null!;

    /// <summary>Starts the server and builds the controllers; <paramref name="run"/> false: built, informers started, workers not run.</summary>
    public static async Task<ControllerCluster> StartAsync(Func<ControllerContext, IEnumerable<(IController Controller, int Workers)>> controllers,
        TimeProvider? time = null, bool run = true)
    {
        var dir = Path.Combine(Path.GetTempPath(), "korral-controllers-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(dir);
        var cluster = new ControllerCluster(dir);
        try
        {
            await cluster.StartServerAsync();
            var client = cluster.NewClient();
            cluster.Client = client;
            cluster._informers = new SharedInformerFactory(client, new InformerOptions { Log = cluster.Log });
            cluster._testInformers = new SharedInformerFactory(cluster.NewClient(), new InformerOptions { Log = cluster.Log });
            cluster._events = new EventRecorder(client, new EventRecorderOptions { Component = "controller-manager" });
            cluster.Context = new ControllerContext(client, cluster._informers, cluster._events, time ?? TimeProvider.System, cluster.Log);
            var built = controllers(cluster.Context).ToList();
            cluster._informers.Start(cluster._stop.Token);
            cluster._testInformers.Start(cluster._stop.Token);
            await cluster._informers.WaitForCacheSyncAsync(cluster._stop.Token).WaitAsync(TimeSpan.FromSeconds(30));
            if (run)
            {
                foreach (var (controller, workers) in built)
                {
                    cluster._running.Add(controller.RunAsync(workers, cluster._stop.Token));
                }
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
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
            return string.Join("\n", _log.TakeLast(60));
        }
    }

    /// <summary>The test-side informer of <typeparamref name="T"/> (shared by every wait of this cluster), synced.</summary>
    public async Task<SharedInformer<T>> InformerAsync<T>()
        where T : class
    {
        var informer = _testInformers!.Informer<T>();
        await informer.WaitForSyncAsync(_stop.Token).WaitAsync(TimeSpan.FromSeconds(30));
        return informer;
    }

    /// <summary>
    /// Waits until <paramref name="condition"/> holds over the test-side cache of <typeparamref name="T"/>, re-checking on
    /// every change; on timeout fails with <paramref name="what"/>, the cached objects and the log.
    /// </summary>
    public async Task WaitAsync<T>(string what, Func<Lister<T>, bool> condition, TimeSpan? timeout = null)
        where T : class
    {
        var informer = await InformerAsync<T>();
        var changed = new SemaphoreSlim(0);
        using var registration = informer.AddEventHandler(onAdd: _ => changed.Release(), onUpdate: (_, _) => changed.Release(),
            onDelete: _ => changed.Release());
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (!condition(informer.Lister))
        {
            try
            {
                await changed.WaitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                var cached = string.Join(", ", informer.Lister.List().Select(KubeObject.Key));
                throw new TimeoutException($"timed out waiting for {what}; cached {typeof(T).Name}s: [{cached}]\nlog:\n{LogText()}");
            }
        }
    }

    public KubeClient NewClient() => new(new KubeClientOptions
    {
        Server = _host!.Url,
        ClientCertificate = _host.Certificates.IssueClient("admin", ["system:masters"], DateTimeOffset.UtcNow),
        CertificateAuthorities = [_host.Certificates.Authority],
        Log = Log,
        RetryInitialDelay = TimeSpan.FromMilliseconds(50),
        RetryMaxDelay = TimeSpan.FromMilliseconds(500),
    });

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_running).WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
        }

        if (_events is not null)
        {
            await _events.DisposeAsync();
        }

        if (_informers is not null)
        {
            await _informers.DisposeAsync();
        }

        if (_testInformers is not null)
        {
            await _testInformers.DisposeAsync();
        }

        Client?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task StartServerAsync()
    {
        _store = await SqliteStore.OpenAsync(new SqliteStoreOptions { DatabasePath = Path.Combine(DataDir, "db", "state.db") }, CancellationToken.None);
        var parts = DefaultParts.Create() with { Watch = new WatchSettings { BookmarkInterval = TimeSpan.FromMilliseconds(300) } };
        for (var attempt = 1; ; attempt++)
        {
            var options = new ApiServerOptions { DataDir = DataDir, BindAddress = IPAddress.Loopback, Port = FreePort() };
            try
            {
                _host = await ApiServerHost.StartAsync(options, _store, parts, Log, CancellationToken.None);
                return;
            }
            catch (IOException) when (attempt < 10)
            {
                // another process took the port between picking and binding
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
