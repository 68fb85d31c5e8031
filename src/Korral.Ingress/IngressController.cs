using Korral.Api.Models.CoreV1;
using Korral.Api.Models.DiscoveryV1;
using Korral.Api.Models.NetworkingV1;
using Korral.Client;
using Korral.Client.Informers;
using Korral.Client.Queues;
using Korral.Ingress.Classes;
using Korral.Ingress.Nginx;
using Korral.Ingress.Status;
using Korral.Ingress.Tls;
using Korral.Ingress.Translation;

namespace Korral.Ingress;

// "Ingress" is the Kubernetes type here, not the namespace Korral.Ingress: an alias inside the namespace is found first.
using Ingress = Korral.Api.Models.NetworkingV1.Ingress;

/// <summary>
/// The ingress controller of one node (see docs/ingress.md): watches Ingresses, IngressClasses, Services, EndpointSlices,
/// TLS Secrets and Nodes; on any change that matters, regenerates nginx.conf (at most once per
/// <see cref="IngressOptions.MinSyncInterval"/>) and has <see cref="NginxSupervisor"/> test it and reload nginx when it
/// differs; writes status.loadBalancer of the Ingresses it serves. nginx runs as its child on the node's ports and is
/// stopped with it.
/// <code>await IngressController.RunAsync(new IngressOptions { DataDir = "/var/lib/korral/server/ingress", NodeName = "vm" }, client, stopping);</code>
/// </summary>
public sealed class IngressController
{
    private const string SyncKey = "sync";

    private readonly IngressOptions _options;
    private readonly KubeClient _client;
    private readonly NginxLayout _layout;
    private readonly SharedInformer<Ingress> _ingresses;
    private readonly SharedInformer<IngressClass> _classes;
    private readonly SharedInformer<Service> _services;
    private readonly SharedInformer<EndpointSlice> _slices;
    private readonly SharedInformer<Secret> _secrets;
    private readonly SharedInformer<Node> _nodes;
    private readonly IngressClassFilter _filter;
    private readonly InformerBackendSource _backends;
    private readonly IngressStatusWriter? _status;
    private readonly RateLimitingQueue<string> _queue;
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private volatile NginxConfiguration? _last;
    private CertificateStore? _certificates;
    private NginxSupervisor? _supervisor;

    /// <summary>Builds the controller on <paramref name="informers"/> (handlers are added here; start the factory before or after).</summary>
    public IngressController(IngressOptions options, KubeClient client, SharedInformerFactory informers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(informers);
        if (options.Validate() is { Count: > 0 } problems)
        {
            throw new ArgumentException("invalid ingress options:\n  " + string.Join("\n  ", problems), nameof(options));
        }

        _options = options;
        _client = client;
        _layout = new NginxLayout(options.DataDir);
        _ingresses = informers.Informer<Ingress>();
        _classes = informers.Informer<IngressClass>();
        _services = informers.Informer<Service>();
        _slices = informers.Informer<EndpointSlice>();
        // Only TLS Secrets: no service account token or other Secret ever enters this process's memory.
        _secrets = informers.Informer<Secret>(client.Resource<Secret>().Resource, new InformerOptions { FieldSelector = "type=kubernetes.io/tls", Log = options.Log });
        _nodes = informers.Informer<Node>();
        _filter = new IngressClassFilter(options.IngressClassName, options.ControllerName, () => _classes.Indexer.List());
        _backends = new InformerBackendSource(_services, _slices);
        _queue = new RateLimitingQueue<string>(new ItemExponentialFailureRateLimiter<string>(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30)), options.Time);
        if (options.WriteStatus)
        {
            _status = new IngressStatusWriter(client, _ingresses, _nodes, _filter.IsOurs, options);
        }

        _ingresses.AddEventHandler(onAdd: _ => Request(), onUpdate: (old, i) => Changed(old, i, Request), onDelete: _ => Request());
        _classes.AddEventHandler(onAdd: _ => ClassesChanged(), onUpdate: (old, c) => Changed(old, c, ClassesChanged), onDelete: _ => ClassesChanged());
        _services.AddEventHandler(onAdd: s => ServiceChanged(KubeObject.Key(s)), onUpdate: (old, s) => Changed(old, s, () => ServiceChanged(KubeObject.Key(s))),
            onDelete: s => ServiceChanged(KubeObject.Key(s)));
        _slices.AddEventHandler(onAdd: SliceChanged, onUpdate: (old, s) => Changed(old, s, () => SliceChanged(s)), onDelete: SliceChanged);
        _secrets.AddEventHandler(onAdd: s => SecretChanged(KubeObject.Key(s)), onUpdate: (old, s) => Changed(old, s, () => SecretChanged(KubeObject.Key(s))),
            onDelete: s => SecretChanged(KubeObject.Key(s)));
    }

    /// <summary>After each regeneration (tests, diagnostics).</summary>
    public event Action<IngressSyncResult>? Synced;

    /// <summary>The files of this controller.</summary>
    public NginxLayout Layout => _layout;

    /// <summary>The nginx supervisor once <see cref="RunAsync(CancellationToken)"/> started (starts, reloads, the master's pid).</summary>
    public NginxSupervisor? Supervisor => _supervisor;

    /// <summary>The last translation of the Ingresses.</summary>
    public NginxConfiguration? LastConfiguration => _last;

    /// <summary>True when <paramref name="ingress"/> belongs to this controller's classes.</summary>
    public bool IsOurs(Ingress ingress) => _filter.IsOurs(ingress);

    /// <summary>Runs a controller on informers of its own until <paramref name="cancellationToken"/>; nginx is stopped when it returns.</summary>
    public static async Task RunAsync(IngressOptions options, KubeClient client, CancellationToken cancellationToken)
    {
        await using var informers = new SharedInformerFactory(client, new InformerOptions { Log = options.Log });
        await RunAsync(options, client, informers, cancellationToken);
    }

    /// <summary>As <see cref="RunAsync(IngressOptions, KubeClient, CancellationToken)"/>, sharing a process's informer factory.</summary>
    public static async Task RunAsync(IngressOptions options, KubeClient client, SharedInformerFactory informers, CancellationToken cancellationToken)
    {
        var controller = new IngressController(options, client, informers);
        informers.Start(cancellationToken);
        await controller.RunAsync(cancellationToken);
    }

    /// <summary>
    /// Creates the default IngressClass (when configured), waits for the caches, starts nginx with the first configuration
    /// and keeps it in step until cancelled; then stops nginx. The informers must be started. Throws at once when nginx
    /// is not installed.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var nginx = NginxBinary.Find(_options.NginxPath)
            ?? throw new InvalidOperationException($"nginx not found (looked for \"{_options.NginxPath}\"): install Debian's nginx package (scripts/install-packages does)");
        Directory.CreateDirectory(_layout.TempDir);
        _certificates = new CertificateStore(_layout.CertsDir, (ns, name) => _secrets.Lister.Get(ns, name), _options.Time);
        await using var supervisor = new NginxSupervisor(nginx, _layout, _options.Log, _options.StopTimeout, _options.StartTimeout);
        _supervisor = supervisor;
        supervisor.Exited += () => _queue.Add(SyncKey);
        var tasks = new List<Task>();
        if (_options.CreateIngressClass)
        {
            tasks.Add(EnsureClassAsync(cancellationToken));
        }

        try
        {
            await Task.WhenAll(_ingresses.WaitForSyncAsync(cancellationToken), _classes.WaitForSyncAsync(cancellationToken),
                _services.WaitForSyncAsync(cancellationToken), _slices.WaitForSyncAsync(cancellationToken),
                _secrets.WaitForSyncAsync(cancellationToken), _nodes.WaitForSyncAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Task.WhenAll(tasks);
            return;
        }

        _options.Log($"ingress: caches synced ({_ingresses.Indexer.Count} ingresses); nginx {nginx}, data {_layout.DataDir}");
        _queue.Add(SyncKey);
        tasks.Add(QueueWorkers.RunAsync(_queue, workers: 1, SyncAsync, _options.Log, cancellationToken));
        if (_status is not null)
        {
            tasks.Add(_status.RunAsync(cancellationToken));
        }

        try
        {
            await Task.WhenAll(tasks);
        }
        finally
        {
            await supervisor.StopAsync();
        }
    }

    private static void Changed<T>(T old, T updated, Action action)
        where T : class
    {
        if (KubeObject.ResourceVersion(old) != KubeObject.ResourceVersion(updated))
        {
            action();
        }
    }

    private async Task EnsureClassAsync(CancellationToken cancellationToken)
    {
        try
        {
            await DefaultIngressClass.EnsureAsync(_client, _options.IngressClassName, _options.ControllerName, _options.Log, _options.Time, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void Request() => _queue.Add(SyncKey);

    private void ClassesChanged()
    {
        Request();
        _status?.RequeueAll();
    }

    private void ServiceChanged(string key)
    {
        if (_last is not { } last || last.Services.Contains(key))
        {
            Request();
        }
    }

    private void SliceChanged(EndpointSlice slice)
    {
        if (InformerBackendSource.ServiceKeyOf(slice) is { } key)
        {
            ServiceChanged(key);
        }
    }

    private void SecretChanged(string key)
    {
        if (_last is not { } last || last.Secrets.Contains(key))
        {
            Request();
        }
    }

    private async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var ours = _ingresses.Indexer.List().Where(_filter.IsOurs).ToList();
        var configuration = IngressTranslator.Translate(ours, _backends, _certificates!);
        _last = configuration;
        Report(configuration.Problems);
        var text = NginxConfigWriter.Render(configuration, _options.Render(_layout));
        var applied = await _supervisor!.ApplyAsync(text, cancellationToken);
        switch (applied.Outcome)
        {
            case NginxApplyOutcome.Rejected:
                var rejected = _layout.ConfigFile + ".rejected";
                await File.WriteAllTextAsync(rejected, text, cancellationToken);
                _options.Log($"ingress: nginx -t refused the new configuration (kept in {rejected}); nginx keeps the previous one:\n{applied.Message}");
                break;
            case NginxApplyOutcome.Started or NginxApplyOutcome.Reloaded:
                _certificates!.Retain(configuration.Servers.Select(s => s.Certificate));
                _options.Log($"ingress: nginx {(applied.Outcome == NginxApplyOutcome.Started ? "started" : "reloaded")} with {ours.Count} ingresses, " +
                    $"{configuration.Servers.Count - 1} hosts, {configuration.Upstreams.Count} upstreams");
                break;
        }

        Synced?.Invoke(new IngressSyncResult(configuration, text, applied));

        // Changes arriving from here on mark the key dirty: they are taken together by one sync after this pause.
        await Task.Delay(_options.MinSyncInterval, _options.Time, cancellationToken);
    }

    /// <summary>Logs each problem once, when it appears (every sync would repeat it otherwise).</summary>
    private void Report(IReadOnlyList<string> problems)
    {
        var current = new HashSet<string>(problems, StringComparer.Ordinal);
        foreach (var problem in problems)
        {
            if (!_reported.Contains(problem))
            {
                _options.Log($"ingress: {problem}");
            }
        }

        _reported.Clear();
        _reported.UnionWith(current);
    }
}
