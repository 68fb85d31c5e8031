using Korral.Api.Models.CoreV1;
using Korral.Api.Models.DiscoveryV1;
using Korral.Client;
using Korral.Client.Informers;
using Korral.Proxy.Host;
using Korral.Proxy.Iptables;
using Korral.Proxy.LoadBalancer;
using Korral.Proxy.Sync;

namespace Korral.Proxy;

/// <summary>
/// The service proxy of one node: watches Services and EndpointSlices, and keeps this host's iptables rules in step
/// (see docs/proxy.md). Runs as root on the node (iptables, ip, sysctl).
/// <code>await ServiceProxy.RunAsync(new ProxyOptions { NodeName = "n1", ClusterCidr = "10.42.0.0/16", ServiceCidr = "10.96.0.0/12" }, client, stopping);</code>
/// </summary>
public sealed class ServiceProxy
{
    private readonly ProxyOptions _options;
    private readonly SharedInformer<Service> _services;
    private readonly SharedInformer<EndpointSlice> _slices;
    private readonly InformerProxySource _source;
    private readonly ProxySyncer _syncer;
    private readonly HostNetwork _host;
    private readonly SyncScheduler _scheduler;

    /// <summary>Builds the proxy on <paramref name="informers"/> (handlers are added here; start the factory afterwards or before).</summary>
    public ServiceProxy(ProxyOptions options, SharedInformerFactory informers, ICommandRunner? runner = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(informers);
        if (options.Validate() is { Count: > 0 } problems)
        {
            throw new ArgumentException("invalid proxy options:\n  " + string.Join("\n  ", problems), nameof(options));
        }

        _options = options;
        runner ??= new ProcessCommandRunner(options.CommandPrefix);
        _host = new HostNetwork(runner, options.Log);
        _syncer = new ProxySyncer(options, new IptablesClient(runner), _host);
        _scheduler = new SyncScheduler(options.Time, options.MinSyncPeriod, options.SyncPeriod);
        _services = informers.Informer<Service>();
        _slices = informers.Informer<EndpointSlice>();
        _source = new InformerProxySource(_services, _slices);

        _services.AddEventHandler(
            onAdd: s => Changed(KubeObject.Key(s)),
            onUpdate: (old, s) =>
            {
                if (old.Metadata?.ResourceVersion != s.Metadata?.ResourceVersion)
                {
                    Changed(KubeObject.Key(s));
                }
            },
            onDelete: s => Changed(KubeObject.Key(s)));
        _slices.AddEventHandler(
            onAdd: s => SliceChanged(s),
            onUpdate: (old, s) =>
            {
                if (old.Metadata?.ResourceVersion != s.Metadata?.ResourceVersion)
                {
                    SliceChanged(old);
                    SliceChanged(s);
                }
            },
            onDelete: s => SliceChanged(s));
    }

    /// <summary>The syncer (its last results, for tests and diagnostics).</summary>
    public ProxySyncer Syncer => _syncer;

    /// <summary>Called after each successful sync (tests, logs).</summary>
    public event Action<SyncResult>? Synced;

    /// <summary>
    /// Runs the proxy on its own informers until <paramref name="cancellationToken"/>: host settings, the sync loop, and
    /// with <see cref="ProxyOptions.WriteLoadBalancerStatus"/> the LoadBalancer status writer. Rules stay in place when
    /// it returns (as kube-proxy leaves them); <see cref="ProxyCleanup"/> removes them.
    /// </summary>
    public static async Task RunAsync(ProxyOptions options, KubeClient client, CancellationToken cancellationToken)
    {
        await using var informers = new SharedInformerFactory(client);
        await RunAsync(options, client, informers, cancellationToken);
    }

    /// <summary>As <see cref="RunAsync(ProxyOptions, KubeClient, CancellationToken)"/>, sharing a process's informer factory.</summary>
    public static async Task RunAsync(ProxyOptions options, KubeClient client, SharedInformerFactory informers, CancellationToken cancellationToken)
    {
        var proxy = new ServiceProxy(options, informers);
        var statusWriter = options.WriteLoadBalancerStatus
            ? new LoadBalancerStatusController(client, informers, options.Log, options.Time)
            : null;
        informers.Start(cancellationToken);
        var tasks = new List<Task> { proxy.RunAsync(cancellationToken) };
        if (statusWriter is not null)
        {
            tasks.Add(statusWriter.RunAsync(cancellationToken));
        }

        await Task.WhenAll(tasks);
    }

    /// <summary>Sets up the host, waits for the caches, then syncs until cancelled. The informers must be started.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (_options.ManageSysctls)
        {
            await _host.EnsureSysctlsAsync(_options.LocalhostNodePorts, cancellationToken);
        }

        try
        {
            // kube-proxy syncs only once it has both Services and EndpointSlices: a sync with services but no endpoints
            // would reject every connection for a moment.
            await Task.WhenAll(_services.WaitForSyncAsync(cancellationToken), _slices.WaitForSyncAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }

        _options.Log($"proxy: caches synced ({_services.Indexer.Count} services, {_slices.Indexer.Count} endpoint slices)");
        await _scheduler.RunAsync(SyncOnceAsync, e => _options.Log($"proxy: sync failed (the next one is full): {e.Message}"), cancellationToken);
    }

    private async Task<bool> SyncOnceAsync(CancellationToken cancellationToken)
    {
        var result = await _syncer.SyncAsync(_source, cancellationToken);
        if (result.Full)
        {
            _options.Log($"proxy: full sync of {result.Services} services ({result.NatChainsWritten} chains, {result.Bytes} bytes) in " +
                $"{result.Generate.TotalMilliseconds:F0} + {result.Apply.TotalMilliseconds:F0} ms");
        }

        Synced?.Invoke(result);
        return true;
    }

    private void SliceChanged(EndpointSlice slice)
    {
        if (InformerProxySource.ServiceKeyOf(slice) is { } key)
        {
            Changed(key);
        }
    }

    private void Changed(string key)
    {
        _syncer.MarkChanged(key);
        _scheduler.Request();
    }
}
