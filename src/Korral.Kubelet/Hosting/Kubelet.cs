using Korral.Api.Models.CoreV1;
using Korral.Client;
using Korral.Client.Events;
using Korral.Client.Informers;
using Korral.Client.Queues;
using Korral.Kubelet.Cri;
using Korral.Kubelet.Cri.V1;
using Korral.Kubelet.Images.Pulling;
using Korral.Kubelet.Logs;
using Korral.Kubelet.Nodes;
using Korral.Kubelet.Pods;
using Korral.Kubelet.Probes;
using Korral.Kubelet.Streaming;
using CoreNode = Korral.Api.Models.CoreV1.Node;

namespace Korral.Kubelet.Hosting;

/// <summary>
/// One node's kubelet: registers the Node and keeps its Lease and status fresh, watches the pods bound to it (field
/// selector spec.nodeName), relists the runtime every second to notice container changes, and syncs each pod through
/// <see cref="PodSyncer"/> on a work queue keyed by pod UID. Start returns once the node is registered and the caches synced.
/// </summary>
public sealed class Kubelet : IAsyncDisposable
{
    private readonly KubeClient _client;
    private readonly IRuntimeService _runtime;
    private readonly KubeletOptions _options;
    private readonly SharedInformerFactory _informers;
    private readonly SharedInformerFactory _nodeInformers;
    private readonly PodRegistry _pods = new();
    private readonly RateLimitingQueue<string> _queue;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private readonly EventRecorder _events;
    private readonly HttpClient _hookClient = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly HttpClient _probeClient = Prober.CreateHttpClient();
    private ProbeManager? _probes;
    private NodeReporter? _reporter;
    private RuntimeRelister? _relister;
    private PodSyncer? _syncer;
    private string? _podCidr;

    private Kubelet(KubeClient client, IRuntimeService runtime, KubeletOptions options)
    {
        _client = client;
        _runtime = runtime;
        _options = options;
        _queue = new RateLimitingQueue<string>(time: options.Time);
        _events = new EventRecorder(client, new EventRecorderOptions { Component = "kubelet", Host = options.NodeName, Log = options.Log, Time = options.Time });
        _informers = new SharedInformerFactory(client, new InformerOptions { Log = options.Log, Time = options.Time });
        _nodeInformers = new SharedInformerFactory(client, new InformerOptions { Log = options.Log, Time = options.Time, FieldSelector = $"metadata.name={options.NodeName}" });
    }

    /// <summary>Informers over all namespaces (ConfigMaps, Secrets, Services) that the pod parts read from.</summary>
    public SharedInformerFactory Informers => _informers;

    /// <summary>The node's pod CIDR once the node IPAM controller assigned it.</summary>
    public string? PodCidr => Volatile.Read(ref _podCidr);

    /// <summary>Container logs of this node's pods, for the kubelet server.</summary>
    public IContainerLogSource LogSource => new PodLogSource(_pods, _runtime);

    /// <summary>This node's pods and runtime, for the kubelet server's exec, attach and port-forward.</summary>
    public StreamingSource Streaming => new(_pods, _runtime);

    /// <summary>The machine's facts as read at start (capacity, identifiers).</summary>
    public MachineInfo? Machine { get; private set; }

    /// <summary>The node's InternalIP as registered.</summary>
    public string NodeIp => _reporter?.NodeIp ?? "";

    /// <summary>Registers the node and starts the loops. <paramref name="parts"/> builds the pod parts from the kubelet's informers.</summary>
    public static async Task<Kubelet> StartAsync(KubeClient client, IRuntimeService runtime, IImageService images, KubeletOptions options,
        Func<Kubelet, IPodParts> parts, Action<string>? onPodCidr, CancellationToken cancellationToken)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("\n", errors), nameof(options));
        }

        var kubelet = new Kubelet(client, runtime, options);
        try
        {
            await kubelet.StartCoreAsync(images, parts, onPodCidr, cancellationToken);
        }
        catch
        {
            await kubelet.DisposeAsync();
            throw;
        }

        return kubelet;
    }

    private async Task StartCoreAsync(IImageService images, Func<Kubelet, IPodParts> partsFactory, Action<string>? onPodCidr, CancellationToken cancellationToken)
    {
        var version = await _runtime.VersionAsync(new VersionRequest(), cancellationToken);
        var machine = MachineInfo.Read(_options.KubeletDir);
        Machine = machine;
        _reporter = new NodeReporter(_client, _options, machine, $"{version.RuntimeName}://{version.RuntimeVersion}", NodeHealthAsync);
        await _reporter.RegisterAsync(cancellationToken);

        var nodes = _nodeInformers.Informer<CoreNode>();
        nodes.AddEventHandler(onAdd: n => PodCidrSeen(n, onPodCidr), onUpdate: (_, n) => PodCidrSeen(n, onPodCidr));
        var pods = new SharedInformerFactory(_client, new InformerOptions
        {
            Log = _options.Log,
            Time = _options.Time,
            FieldSelector = $"spec.nodeName={_options.NodeName}",
        });
        _podInformers = pods;
        pods.Informer<Pod>().AddEventHandler(
            onAdd: p => _queue.Add(_pods.Update(p)),
            onUpdate: (_, p) =>
            {
                _queue.Add(_pods.Update(p));
                _syncer?.OnPodUpdated(p);
            },
            onDelete: p =>
            {
                _queue.Add(_pods.MarkDeleted(p));
                _syncer?.OnPodUpdated(p, gone: true);
            });

        var parts = partsFactory(this);
        var backoff = new KeyedBackoff(_options.BackoffInitial, _options.BackoffMax, _options.Time);
        var puller = new ImagePuller(images, _events, backoff);
        _probes = new ProbeManager(new Prober(_runtime, _probeClient), _events, _options.Time, uid => _queue.Add(uid), _options.Log);
        _syncer = new PodSyncer(_client, _runtime, _options, _pods, _events, puller, new LifecycleHooks(_runtime, _hookClient), _queue, parts, _probes);
        _relister = new RuntimeRelister(_runtime, uid => _queue.Add(uid));

        _nodeInformers.Start(_stop.Token);
        _informers.Start(_stop.Token);
        await _nodeInformers.WaitForCacheSyncAsync(cancellationToken);
        await _informers.WaitForCacheSyncAsync(cancellationToken);
        pods.Start(_stop.Token);
        await pods.WaitForCacheSyncAsync(cancellationToken);
        await _relister.RelistAsync(cancellationToken);

        _loops.Add(QueueWorkers.RunAsync(_queue, _options.PodWorkers, _syncer.SyncAsync, _options.Log, _stop.Token));
        _loops.Add(EveryAsync(_options.RelistInterval, ct => _relister.RelistAsync(ct), "relist"));
        _loops.Add(EveryAsync(_options.LeaseRenewInterval, ct => _reporter.RenewLeaseAsync(ct), "lease"));
        _loops.Add(EveryAsync(_options.NodeStatusUpdateInterval, ct => _reporter.UpdateStatusAsync(false, ct), "node status"));
        var rotator = new ContainerLogRotator(_runtime, new ContainerLogRotatorOptions(), _options.Time);
        _loops.Add(EveryAsync(LogRotationInterval, ct => RotateLogsAsync(rotator, ct), "log rotation"));
        _loops.Add(EveryAsync(_options.ResyncInterval, async ct =>
        {
            _syncer.EnqueueAll(_relister.PodUids);
            await _syncer.CleanUpOrphansAsync(_relister.PodUids, ct);
        }, "resync"));
        _options.Log($"kubelet: node {_options.NodeName} running ({version.RuntimeName} {version.RuntimeVersion})");
    }

    private SharedInformerFactory? _podInformers;

    /// <summary>How often running containers' logs are checked for rotation (upstream's log manager: 10 s).</summary>
    private static readonly TimeSpan LogRotationInterval = TimeSpan.FromSeconds(10);

    private async Task RotateLogsAsync(ContainerLogRotator rotator, CancellationToken cancellationToken)
    {
        var running = await _runtime.ListContainersAsync(new ListContainersRequest
        {
            Filter = new ContainerFilter { State = new ContainerStateValue { State = Cri.V1.ContainerState.ContainerRunning } },
        }, cancellationToken);
        foreach (var container in running.Containers)
        {
            try
            {
                var status = (await _runtime.ContainerStatusAsync(new ContainerStatusRequest { ContainerId = container.Id }, cancellationToken)).Status;
                if (!string.IsNullOrEmpty(status?.LogPath))
                {
                    await rotator.RotateAsync(container.Id, status.LogPath, cancellationToken);
                }
            }
            catch (Exception e) when (e is CriException or IOException)
            {
                _options.Log($"kubelet: log rotation of container {container.Id[..Math.Min(12, container.Id.Length)]} failed: {e.Message}");
            }
        }
    }

    /// <summary>Writes the node's status now (e.g. once its network became ready) instead of at the next heartbeat.</summary>
    public Task ReportNodeStatusAsync(CancellationToken cancellationToken) =>
        _reporter?.UpdateStatusAsync(force: true, cancellationToken) ?? Task.CompletedTask;

    private void PodCidrSeen(CoreNode node, Action<string>? onPodCidr)
    {
        var cidr = node.Spec?.PodCIDR;
        if (string.IsNullOrEmpty(cidr) || Interlocked.Exchange(ref _podCidr, cidr) == cidr)
        {
            return;
        }

        _options.Log($"kubelet: node {_options.NodeName} has pod CIDR {cidr}");
        onPodCidr?.Invoke(cidr);
    }

    private async Task<NodeHealth> NodeHealthAsync(CancellationToken cancellationToken)
    {
        string? notReady = null;
        try
        {
            var status = await _runtime.StatusAsync(new StatusRequest(), cancellationToken);
            var runtimeReady = status.Status?.Conditions.FirstOrDefault(c => c.Type == "RuntimeReady");
            var networkReady = status.Status?.Conditions.FirstOrDefault(c => c.Type == "NetworkReady");
            if (runtimeReady is not { Status: true })
            {
                notReady = $"container runtime is down: RuntimeReady=false reason:{runtimeReady?.Reason} message:{runtimeReady?.Message}";
            }
            else if (networkReady is not { Status: true })
            {
                notReady = $"container runtime network not ready: NetworkReady=false reason:{networkReady?.Reason} message:{networkReady?.Message}";
            }
        }
        catch (CriException e)
        {
            notReady = $"container runtime is down: {e.Message}";
        }

        var disk = new DriveInfo(_options.KubeletDir);
        return new NodeHealth(
            MemoryPressure: MachineInfo.MemAvailable() < NodeReporter.MemoryEvictionThreshold,
            DiskPressure: disk.AvailableFreeSpace < disk.TotalSize / 10,
            PidPressure: false,
            NotReadyMessage: notReady);
    }

    private async Task EveryAsync(TimeSpan interval, Func<CancellationToken, Task> action, string what)
    {
        using var timer = new PeriodicTimer(interval, _options.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    await action(_stop.Token);
                }
                catch (Exception e) when (!_stop.IsCancellationRequested)
                {
                    _options.Log($"kubelet: {what} failed, next in {interval.TotalSeconds} s: {e.GetType().Name}: {e.Message}");
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_loops);
        }
        catch (Exception e)
        {
            _options.Log($"kubelet: stopped with {e.GetType().Name}: {e.Message}");
        }

        if (_probes is not null)
        {
            await _probes.DisposeAsync();
        }

        if (_podInformers is not null)
        {
            await _podInformers.DisposeAsync();
        }

        await _informers.DisposeAsync();
        await _nodeInformers.DisposeAsync();
        await _events.DisposeAsync();
        _hookClient.Dispose();
        _probeClient.Dispose();
        _stop.Dispose();
    }
}
