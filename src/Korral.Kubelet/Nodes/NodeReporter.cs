using System.Globalization;
using Korral.Api.Models;
using Korral.Api.Models.MetaV1;
using Korral.Client;
using Korral.Kubelet.Hosting;
using CoreNode = Korral.Api.Models.CoreV1.Node;
using Korral.Api.Models.CoreV1;

namespace Korral.Kubelet.Nodes;

/// <summary>
/// Registers this machine's Node and keeps it fresh as upstream's kubelet does: the kube-node-lease Lease renewed every
/// 10 s (the heartbeat the node lifecycle controller watches), status computed every 10 s and written when it changed
/// (conditions' statuses, addresses, capacity) or when the report period has passed.
/// </summary>
public sealed class NodeReporter(KubeClient client, KubeletOptions options, MachineInfo machine, string runtimeVersion, Func<CancellationToken, Task<NodeHealth>> health)
{
    public const string KubeletVersion = "v1.33.1";

    /// <summary>Memory below this is MemoryPressure and is kept out of allocatable (upstream's hard eviction threshold).</summary>
    public const long MemoryEvictionThreshold = 100L * 1024 * 1024;

    private readonly NodeConditionTracker _conditions = new();
    private string? _lastWritten;
    private DateTimeOffset _lastWrittenAt;
    private readonly NodeLease _lease = new(client, options.NodeName, options.LeaseDurationSeconds, options.Time);

    public string NodeIp { get; } = options.NodeIp ?? MachineInfo.PrimaryAddress();

    /// <summary>The Node's UID once registered.</summary>
    public string? Uid { get; private set; }

    /// <summary>Creates the Node (or adopts the existing one of this name, keeping its spec) and writes its first status.</summary>
    public async Task<CoreNode> RegisterAsync(CancellationToken cancellationToken)
    {
        var api = client.Resource<CoreNode>();
        var labels = new Dictionary<string, string>(options.NodeLabels)
        {
            ["kubernetes.io/hostname"] = options.NodeName,
            ["kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = "amd64",
            ["beta.kubernetes.io/os"] = "linux",
            ["beta.kubernetes.io/arch"] = "amd64",
        };
        CoreNode node;
        try
        {
            node = await api.CreateAsync(new CoreNode { Metadata = new ObjectMeta { Name = options.NodeName, Labels = labels } }, cancellationToken);
            options.Log($"kubelet: registered node {options.NodeName}");
        }
        catch (KubeApiException e) when (e.IsAlreadyExists)
        {
            node = await api.PatchAsync(null, options.NodeName, PatchType.Merge, KubeJson.Serialize(new { metadata = new { labels } }), cancellationToken);
            options.Log($"kubelet: node {options.NodeName} already registered; updating it");
        }

        Uid = node.Metadata?.Uid;
        _lease.NodeUid = Uid;
        await UpdateStatusAsync(force: true, cancellationToken);
        await RenewLeaseAsync(cancellationToken);
        return node;
    }

    /// <summary>Renews the node's Lease (creating it when missing).</summary>
    public Task RenewLeaseAsync(CancellationToken cancellationToken) => _lease.RenewAsync(cancellationToken);

    /// <summary>Computes the status and writes it when it changed, when the report period passed, or when forced.</summary>
    public async Task UpdateStatusAsync(bool force, CancellationToken cancellationToken)
    {
        var now = options.Time.GetUtcNow();
        var status = BuildStatus(await health(cancellationToken), now);
        var fingerprint = Fingerprint(status);
        if (!force && fingerprint == _lastWritten && now - _lastWrittenAt < options.NodeStatusReportInterval)
        {
            return;
        }

        await client.Resource<CoreNode>().PatchStatusAsync(null, options.NodeName, PatchType.Merge, KubeJson.Serialize(new { status }), cancellationToken);
        _lastWritten = fingerprint;
        _lastWrittenAt = now;
    }

    private NodeStatus BuildStatus(NodeHealth nodeHealth, DateTimeOffset now)
    {
        var capacity = new Dictionary<string, Quantity>
        {
            ["cpu"] = Quantity.Parse(machine.Cpus.ToString(CultureInfo.InvariantCulture)),
            ["memory"] = Quantity.Parse($"{machine.MemoryBytes / 1024}Ki"),
            ["pods"] = Quantity.Parse(options.MaxPods.ToString(CultureInfo.InvariantCulture)),
            ["ephemeral-storage"] = Quantity.Parse($"{machine.EphemeralStorageBytes / 1024}Ki"),
            ["hugepages-2Mi"] = Quantity.Parse("0"),
        };
        var allocatable = new Dictionary<string, Quantity>(capacity)
        {
            ["memory"] = Quantity.Parse($"{Math.Max(0, machine.MemoryBytes - MemoryEvictionThreshold) / 1024}Ki"),
            // Upstream keeps 10 % of the node filesystem for hard eviction (nodefs.available<10%).
            ["ephemeral-storage"] = Quantity.Parse((machine.EphemeralStorageBytes * 9 / 10).ToString(CultureInfo.InvariantCulture)),
        };
        return new NodeStatus
        {
            Capacity = capacity,
            Allocatable = allocatable,
            Conditions = _conditions.Conditions(nodeHealth, now),
            Addresses =
            [
                new NodeAddress { Type = "InternalIP", Address = NodeIp },
                new NodeAddress { Type = "Hostname", Address = options.NodeName },
            ],
            DaemonEndpoints = new NodeDaemonEndpoints { KubeletEndpoint = new DaemonEndpoint { Port = options.KubeletPort } },
            NodeInfo = new NodeSystemInfo
            {
                MachineID = machine.MachineId,
                SystemUUID = machine.SystemUuid,
                BootID = machine.BootId,
                KernelVersion = machine.KernelVersion,
                OsImage = machine.OsImage,
                ContainerRuntimeVersion = runtimeVersion,
                KubeletVersion = KubeletVersion,
                KubeProxyVersion = KubeletVersion,
                OperatingSystem = "linux",
                Architecture = "amd64",
            },
        };
    }

    /// <summary>What counts as a change: everything but the heartbeat times.</summary>
    private static string Fingerprint(NodeStatus status)
    {
        var copy = KubeJson.Deserialize<NodeStatus>(KubeJson.Serialize(status))!;
        foreach (var condition in copy.Conditions ?? [])
        {
            condition.LastHeartbeatTime = null;
        }

        return KubeJson.Serialize(copy);
    }
}
