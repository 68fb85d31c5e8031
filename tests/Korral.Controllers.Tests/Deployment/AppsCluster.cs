using System.Net;
using System.Net.Sockets;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.ApiServer.Adapters;
using Korral.ApiServer.Hosting;
using Korral.Client;
using Korral.Client.Events;
using Korral.Client.Informers;
using Korral.Controllers.Deployments;
using Korral.Controllers.Manager;
using Korral.Controllers.ReplicaSets;
using Korral.Storage.Sqlite;

namespace Korral.Controllers.Tests.Deployments;

/// <summary>
/// A real API server in-process (SQLite in a temporary directory) with the ReplicaSet and Deployment controllers running
/// over one informer factory, as the manager runs them. There is no kubelet: tests mark pods Running and Ready through
/// the status subresource (<see cref="MarkPodsReadyAsync"/>).
/// </summary>
public sealed class AppsCluster : IAsyncLifetime
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _log = [];
    private string _dir = "";
    private SqliteStore? _store;
    private ApiServerHost? _host;
    private SharedInformerFactory? _informers;
    private Task? _run;

    public KubeClient Client { get; private set; } = null!;

    public EventRecorder Events { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _dir = Path.Combine(Path.GetTempPath(), "korral-apps-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(_dir);
        _store = await SqliteStore.OpenAsync(new SqliteStoreOptions { DatabasePath = Path.Combine(_dir, "db", "state.db") }, CancellationToken.None);
        for (var attempt = 1; _host is null; attempt++)
        {
            try
            {
                _host = await ApiServerHost.StartAsync(new ApiServerOptions { DataDir = _dir, BindAddress = IPAddress.Loopback, Port = FreePort() },
                    _store, DefaultParts.Create(), _ => { }, CancellationToken.None);
            }
            catch (IOException) when (attempt < 10)
            {
            }
        }

        Client = new KubeClient(new KubeClientOptions
        {
            Server = _host.Url,
            ClientCertificate = _host.Certificates.IssueClient("admin", ["system:masters"], DateTimeOffset.UtcNow),
            CertificateAuthorities = [_host.Certificates.Authority],
            Log = Log,
            RetryInitialDelay = TimeSpan.FromMilliseconds(50),
            RetryMaxDelay = TimeSpan.FromMilliseconds(500),
        });
        _informers = new SharedInformerFactory(Client, new InformerOptions { Log = Log });
        Events = new EventRecorder(Client, new EventRecorderOptions { Component = "controller-manager" });
        var context = new ControllerContext(Client, _informers, Events, TimeProvider.System, Log);
        IController[] controllers = [new ReplicaSetController(context), new DeploymentController(context)];
        _informers.Start(_stop.Token);
        await _informers.WaitForCacheSyncAsync(_stop.Token).WaitAsync(TimeSpan.FromSeconds(30));
        _run = Task.WhenAll(controllers.Select(c => c.RunAsync(2, _stop.Token)));
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
            return string.Join("\n", _log.TakeLast(40));
        }
    }

    public async Task<string> CreateNamespaceAsync(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid():n}"[..(prefix.Length + 9)];
        await Client.Resource<Api.Models.CoreV1.Namespace>().CreateAsync(new Api.Models.CoreV1.Namespace { Metadata = new ObjectMeta { Name = name } }, CancellationToken.None);
        return name;
    }

    /// <summary>What a kubelet would report: every live pod of the namespace Running and Ready.</summary>
    public async Task MarkPodsReadyAsync(string ns)
    {
        var pods = await Client.Resource<Pod>().ListAsync(ns, null, CancellationToken.None);
        foreach (var pod in pods.Items ?? [])
        {
            if (pod.Metadata?.DeletionTimestamp is not null || pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true)
            {
                continue;
            }

            var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
            var patch = $$$"""{"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True","lastTransitionTime":"{{{now}}}"}]}}""";
            try
            {
                await Client.Resource<Pod>().PatchStatusAsync(ns, pod.Metadata!.Name!, PatchType.StrategicMerge, patch, CancellationToken.None);
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
            }
        }
    }

    /// <summary>Waits (up to 30 s) until <paramref name="check"/> returns null; otherwise fails with its last description.</summary>
    public async Task EventuallyAsync(Func<Task<string?>> check, Func<Task>? between = null)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        string? problem;
        while ((problem = await check()) is not null)
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                Assert.Fail($"timed out: {problem}\nlog:\n{LogText()}");
            }

            if (between is not null)
            {
                await between();
            }

            await Task.Delay(50);
        }
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            await _run;
        }

        if (_informers is not null)
        {
            await _informers.DisposeAsync();
        }

        if (Events is not null)
        {
            await Events.DisposeAsync();
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
