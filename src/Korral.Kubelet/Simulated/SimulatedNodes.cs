using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Client;
using Korral.Client.Informers;
using Korral.Client.Queues;
using Korral.Kubelet.Nodes;

namespace Korral.Kubelet.Simulated;

/// <summary>
/// Hollow nodes: registers <see cref="SimulatedNodesOptions.Count"/> Nodes, keeps their conditions and kube-node-lease
/// Leases fresh, and runs the pods bound to them without containers: a pending pod gets status Running with an IP from its
/// node's pod CIDR at once; a pod being deleted gets its containers marked terminated and is then deleted with grace
/// period 0, which is how a kubelet confirms a deletion. One pod watch serves every node of the process.
/// </summary>
public sealed class SimulatedNodes : IAsyncDisposable
{
    public const string KubeletVersion = "v1.33.1";
    public const string RuntimeVersion = "simulated://1.0";

    private static readonly string[] PodConditionTypes = ["PodReadyToStartContainers", "Initialized", "ContainersReady", "Ready", "PodScheduled"];

    private readonly KubeClient _client;
    private readonly SimulatedNodesOptions _options;
    private readonly Dictionary<string, NodeInfo> _nodes = new(StringComparer.Ordinal);
    private readonly SharedInformerFactory _informers;
    private readonly SharedInformer<Pod> _pods;
    private readonly RateLimitingQueue<string> _queue = new();
    private readonly Dictionary<string, string> _podNodes = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];

    private SimulatedNodes(KubeClient client, SimulatedNodesOptions options)
    {
        _client = client;
        _options = options;
        for (var i = 0; i < options.Count; i++)
        {
            var name = options.NodeName(i);
            _nodes[name] = new NodeInfo(name, i, PodCidrPrefix(i), NodeAddress(i), new PodAddresses(PodCidrPrefix(i)),
                new NodeLease(client, name, options.LeaseDurationSeconds, options.Time));
        }

        _informers = new SharedInformerFactory(client, new InformerOptions { Log = options.Log });
        _pods = _informers.Informer<Pod>();
        _pods.AddEventHandler(onAdd: Enqueue, onUpdate: (_, p) => Enqueue(p), onDelete: Enqueue);
    }

    /// <summary>The names of the simulated nodes.</summary>
    public IReadOnlyList<string> NodeNames => [.. _nodes.Keys];

    /// <summary>Registers the nodes and their leases, then starts heartbeats and the pod workers.</summary>
    public static async Task<SimulatedNodes> StartAsync(KubeClient client, SimulatedNodesOptions options, CancellationToken cancellationToken)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("\n", errors), nameof(options));
        }

        var nodes = new SimulatedNodes(client, options);
        try
        {
            await nodes.StartCoreAsync(cancellationToken);
        }
        catch
        {
            await nodes.DisposeAsync();
            throw;
        }

        return nodes;
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        await ForEachNodeAsync(RegisterAsync, cancellationToken);
        await ForEachNodeAsync(RenewLeaseAsync, cancellationToken);
        _options.Log($"simulated nodes: registered {_nodes.Count} ({string.Join(", ", _nodes.Keys.Take(5))}{(_nodes.Count > 5 ? ", …" : "")})");
        _informers.Start(_stop.Token);
        await _informers.WaitForCacheSyncAsync(cancellationToken);
        _loops.Add(QueueWorkers.RunAsync(_queue, _options.PodWorkers, SyncPodAsync, _options.Log, _stop.Token));
        _loops.Add(EveryAsync(_options.LeaseRenewInterval, RenewLeaseAsync));
        _loops.Add(EveryAsync(_options.NodeStatusInterval, PatchNodeStatusAsync));
    }

    private static string PodCidrPrefix(int i) => SimulatedNodesOptions.PodCidrPrefix(i);

    private static string NodeAddress(int i) => $"10.10.{(i + 1) / 256}.{(i + 1) % 256}";

    private async Task ForEachNodeAsync(Func<NodeInfo, CancellationToken, Task> action, CancellationToken cancellationToken) =>
        await Parallel.ForEachAsync(_nodes.Values, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (node, ct) => await action(node, ct));

    private async Task EveryAsync(TimeSpan interval, Func<NodeInfo, CancellationToken, Task> action)
    {
        using var timer = new PeriodicTimer(interval, _options.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    await ForEachNodeAsync(action, _stop.Token);
                }
                catch (Exception e) when (!_stop.IsCancellationRequested)
                {
                    _options.Log($"simulated nodes: heartbeat failed, next in {interval.TotalSeconds} s: {e.GetType().Name}: {e.Message}");
                }
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
            // Stopping; a heartbeat cut short by the server going away does not matter.
        }
    }

    private async Task RegisterAsync(NodeInfo info, CancellationToken cancellationToken)
    {
        var api = _client.Resource<Node>();
        var node = new Node
        {
            Metadata = new ObjectMeta
            {
                Name = info.Name,
                Labels = new Dictionary<string, string>
                {
                    ["kubernetes.io/hostname"] = info.Name,
                    ["kubernetes.io/os"] = "linux",
                    ["kubernetes.io/arch"] = "amd64",
                    ["beta.kubernetes.io/os"] = "linux",
                    ["beta.kubernetes.io/arch"] = "amd64",
                    ["node.korral.io/simulated"] = "true",
                },
            },
            Spec = new NodeSpec { PodCIDR = $"{info.CidrPrefix}.0/24", PodCIDRs = [$"{info.CidrPrefix}.0/24"] },
        };
        if (_options.Zones > 0)
        {
            node.Metadata.Labels["topology.kubernetes.io/region"] = "simulated";
            node.Metadata.Labels["topology.kubernetes.io/zone"] = $"zone-{info.Index % _options.Zones}";
        }

        try
        {
            var created = await api.CreateAsync(node, cancellationToken);
            info.Uid = created.Metadata?.Uid;
            info.Lease.NodeUid = info.Uid;
        }
        catch (KubeApiException e) when (e.IsAlreadyExists)
        {
            var existing = await api.GetAsync(null, info.Name, cancellationToken);
            info.Uid = existing.Metadata?.Uid;
            info.Lease.NodeUid = info.Uid;
        }

        var now = _options.Time.GetUtcNow();
        var status = new NodeStatus
        {
            Capacity = Resources(),
            Allocatable = Resources(),
            Addresses = [new NodeAddress { Type = "InternalIP", Address = info.Address }, new NodeAddress { Type = "Hostname", Address = info.Name }],
            DaemonEndpoints = new NodeDaemonEndpoints { KubeletEndpoint = new DaemonEndpoint { Port = 10250 } },
            NodeInfo = new NodeSystemInfo
            {
                MachineID = Hash(info.Name)[..32],
                SystemUUID = Guid.Parse(Hash("uuid" + info.Name)[..32]).ToString(),
                BootID = Guid.NewGuid().ToString(),
                KernelVersion = "6.1.0-simulated",
                OsImage = "Korral simulated node",
                ContainerRuntimeVersion = RuntimeVersion,
                KubeletVersion = KubeletVersion,
                KubeProxyVersion = KubeletVersion,
                OperatingSystem = "linux",
                Architecture = "amd64",
            },
            Conditions = Conditions(now, now),
            Phase = null,
        };
        info.TransitionTime = now;
        await api.PatchStatusAsync(null, info.Name, PatchType.Merge, KubeJson.Serialize(new { status }), cancellationToken);
    }

    private static Dictionary<string, Quantity> Resources() => new()
    {
        ["cpu"] = Quantity.Parse("4"),
        ["memory"] = Quantity.Parse("16Gi"),
        ["pods"] = Quantity.Parse("110"),
        ["ephemeral-storage"] = Quantity.Parse("100Gi"),
    };

    private static List<NodeCondition> Conditions(DateTimeOffset heartbeat, DateTimeOffset transition) =>
    [
        Condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", heartbeat, transition),
        Condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", heartbeat, transition),
        Condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", heartbeat, transition),
        Condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", heartbeat, transition),
    ];

    private static NodeCondition Condition(string type, string status, string reason, string message, DateTimeOffset heartbeat, DateTimeOffset transition) =>
        new() { Type = type, Status = status, Reason = reason, Message = message, LastHeartbeatTime = heartbeat, LastTransitionTime = transition };

    private async Task PatchNodeStatusAsync(NodeInfo info, CancellationToken cancellationToken)
    {
        var now = _options.Time.GetUtcNow();
        var conditions = Conditions(now, info.TransitionTime);
        await _client.Resource<Node>().PatchStatusAsync(null, info.Name, PatchType.Merge,
            KubeJson.Serialize(new { status = new NodeStatus { Conditions = conditions } }), cancellationToken);
    }

    private Task RenewLeaseAsync(NodeInfo info, CancellationToken cancellationToken) => info.Lease.RenewAsync(cancellationToken);

    private void Enqueue(Pod pod)
    {
        var key = KubeObject.Key(pod);
        var nodeName = pod.Spec?.NodeName;
        bool known;
        lock (_podNodes)
        {
            known = _podNodes.ContainsKey(key);
        }

        if ((nodeName is not null && _nodes.ContainsKey(nodeName)) || known)
        {
            _queue.Add(key);
        }
    }

    /// <summary>Starts, keeps or stops the pod <paramref name="key"/>.</summary>
    private async Task SyncPodAsync(string key, CancellationToken cancellationToken)
    {
        var pod = _pods.Lister.Get(key);
        string? previousNode;
        lock (_podNodes)
        {
            _podNodes.TryGetValue(key, out previousNode);
        }

        if (pod is null || pod.Spec?.NodeName is not { } nodeName || !_nodes.TryGetValue(nodeName, out var node))
        {
            // Gone (or moved away, which cannot happen to a bound pod): free its IP.
            if (previousNode is not null && _nodes.TryGetValue(previousNode, out var old))
            {
                lock (_podNodes)
                {
                    if (_podNodes.Remove(key, out var uidAndNode))
                    {
                        _ = uidAndNode;
                    }
                }

                old.Addresses.Release(PodUidOf(key, pod));
            }

            return;
        }

        var uid = pod.Metadata!.Uid!;
        lock (_podNodes)
        {
            _podNodes[key] = nodeName;
            _podUids[key] = uid;
        }

        var api = _client.Resource<Pod>();
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            await StopAsync(api, pod, cancellationToken);
            return;
        }

        if (pod.Status?.Phase is "Succeeded" or "Failed")
        {
            return;
        }

        if (pod.Status?.Phase == "Running" && pod.Status.PodIP is { } ip)
        {
            node.Addresses.Reserve(uid, ip);
            return;
        }

        var podIp = node.Addresses.Allocate(uid);
        if (podIp is null)
        {
            _options.Log($"simulated node {nodeName}: no pod IP left for {key}");
            return;
        }

        var now = _options.Time.GetUtcNow();
        var status = new PodStatus
        {
            Phase = "Running",
            HostIP = node.Address,
            PodIP = podIp,
            PodIPs = [new PodIP { Ip = podIp }],
            StartTime = now,
            Conditions = PodConditionTypes
                .Select(t => new PodCondition { Type = t, Status = "True", LastTransitionTime = now }).ToList(),
            InitContainerStatuses = pod.Spec.InitContainers is { Count: > 0 } init
                ? init.Select(c => ContainerStatus(pod, c, new ContainerState
                {
                    Terminated = new ContainerStateTerminated { ExitCode = 0, Reason = "Completed", StartedAt = now, FinishedAt = now, ContainerID = ContainerId(pod, c) },
                }, ready: true)).ToList()
                : null,
            ContainerStatuses = (pod.Spec.Containers ?? []).Select(c => ContainerStatus(pod, c, new ContainerState
            {
                Running = new ContainerStateRunning { StartedAt = now },
            }, ready: true)).ToList(),
        };
        await PatchStatusAsync(api, pod, status, cancellationToken);
    }

    private readonly Dictionary<string, string> _podUids = new(StringComparer.Ordinal);

    private string PodUidOf(string key, Pod? pod)
    {
        lock (_podNodes)
        {
            if (_podUids.Remove(key, out var uid))
            {
                return uid;
            }
        }

        return pod?.Metadata?.Uid ?? "";
    }

    /// <summary>"Stops" the containers, then confirms the deletion (grace period 0, only for this pod's UID).</summary>
    private async Task StopAsync(ResourceClient<Pod> api, Pod pod, CancellationToken cancellationToken)
    {
        var now = _options.Time.GetUtcNow();
        var alreadyStopped = pod.Status?.ContainerStatuses?.All(c => c.State?.Terminated is not null) == true;
        if (!alreadyStopped)
        {
            var status = new PodStatus
            {
                Conditions = PodConditionTypes
                    .Select(t => new PodCondition
                    {
                        Type = t,
                        Status = t is "Ready" or "ContainersReady" or "PodReadyToStartContainers" ? "False" : "True",
                        Reason = t is "Ready" or "ContainersReady" ? "PodCompleted" : null,
                        LastTransitionTime = now,
                    }).ToList(),
                ContainerStatuses = (pod.Spec?.Containers ?? []).Select(c => ContainerStatus(pod, c, new ContainerState
                {
                    Terminated = new ContainerStateTerminated
                    {
                        ExitCode = 0,
                        Reason = "Completed",
                        StartedAt = pod.Status?.StartTime ?? now,
                        FinishedAt = now,
                        ContainerID = ContainerId(pod, c),
                    },
                }, ready: false)).ToList(),
            };
            try
            {
                await PatchStatusAsync(api, pod, status, cancellationToken);
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
                return;
            }
        }

        try
        {
            await api.DeleteAsync(pod.Metadata!.Namespace, pod.Metadata.Name!,
                new DeleteOptions { GracePeriodSeconds = 0, Preconditions = new Preconditions { Uid = pod.Metadata.Uid } }, cancellationToken);
        }
        catch (KubeApiException e) when (e.IsNotFound || e.IsConflict)
        {
        }
    }

    private static Task<Pod> PatchStatusAsync(ResourceClient<Pod> api, Pod pod, PodStatus status, CancellationToken cancellationToken) =>
        api.PatchStatusAsync(pod.Metadata!.Namespace, pod.Metadata.Name!, PatchType.Merge,
            KubeJson.Serialize(new { metadata = new { uid = pod.Metadata.Uid }, status }), cancellationToken);

    private static ContainerStatus ContainerStatus(Pod pod, Container container, ContainerState state, bool ready) => new()
    {
        Name = container.Name,
        Image = container.Image,
        ImageID = $"{ImageName(container.Image)}@sha256:{Hash(container.Image ?? "")}",
        ContainerID = ContainerId(pod, container),
        Ready = ready,
        Started = state.Running is not null,
        RestartCount = 0,
        State = state,
    };

    private static string ImageName(string? image)
    {
        var name = image ?? "";
        var at = name.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            return name[..at];
        }

        var slash = name.LastIndexOf('/');
        var colon = name.LastIndexOf(':');
        return colon > slash ? name[..colon] : name;
    }

    private static string ContainerId(Pod pod, Container container) => $"simulated://{Hash($"{pod.Metadata?.Uid}/{container.Name}")}";

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_loops);
        }
        catch (Exception e)
        {
            _options.Log($"simulated nodes: stopped with {e.GetType().Name}: {e.Message}");
        }

        await _informers.DisposeAsync();
        _stop.Dispose();
    }

    private sealed class NodeInfo(string name, int index, string cidrPrefix, string address, PodAddresses addresses, NodeLease lease)
    {
        public string Name => name;

        public int Index => index;

        public string CidrPrefix => cidrPrefix;

        public string Address => address;

        public PodAddresses Addresses => addresses;

        public NodeLease Lease => lease;

        public string? Uid { get; set; }

        public DateTimeOffset TransitionTime { get; set; }
    }
}
