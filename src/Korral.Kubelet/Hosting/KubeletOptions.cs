namespace Korral.Kubelet.Hosting;

/// <summary>How one node's kubelet runs: its name and addresses, where it keeps state, and upstream's timings.</summary>
public sealed record KubeletOptions
{
    /// <summary>The Node's name (default: the host name, lower-cased, as upstream).</summary>
    public required string NodeName { get; init; }

    /// <summary>The node's InternalIP (default: the address of the interface holding the default route).</summary>
    public string? NodeIp { get; init; }

    /// <summary>Labels the node registers with besides the well-known ones (e.g. node-role.kubernetes.io/control-plane).</summary>
    public IReadOnlyDictionary<string, string> NodeLabels { get; init; } = new Dictionary<string, string>();

    /// <summary>The kubelet's state: pods/&lt;uid&gt;/volumes, pods/&lt;uid&gt;/etc-hosts, termination-message files.</summary>
    public required string KubeletDir { get; init; }

    /// <summary>Where container logs go: &lt;root&gt;/&lt;ns&gt;_&lt;pod&gt;_&lt;uid&gt;/&lt;container&gt;/&lt;attempt&gt;.log (upstream's path).</summary>
    public string PodLogRoot { get; init; } = "/var/log/pods";

    /// <summary>The cluster DNS service address(es) pods resolve with.</summary>
    public IReadOnlyList<string> ClusterDns { get; init; } = ["10.96.0.10"];

    public string ClusterDomain { get; init; } = "cluster.local";

    /// <summary>The port the kubelet's HTTPS server listens on (reported in status.daemonEndpoints).</summary>
    public int KubeletPort { get; init; } = 10250;

    /// <summary>The host's resolv.conf, for pods with dnsPolicy Default.</summary>
    public string HostResolvConf { get; init; } = "/etc/resolv.conf";

    /// <summary>The cgroup filesystem root (v1 hierarchies and the unified v2 mount below it).</summary>
    public string CgroupRoot { get; init; } = "/sys/fs/cgroup";

    /// <summary>How often the node's Lease is renewed (upstream: 10 s) and its duration (40 s).</summary>
    public TimeSpan LeaseRenewInterval { get; init; } = TimeSpan.FromSeconds(10);

    public int LeaseDurationSeconds { get; init; } = 40;

    /// <summary>How often node status is computed (upstream: 10 s); it is written when it changed, else every report period.</summary>
    public TimeSpan NodeStatusUpdateInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Unchanged node status is still written this often (upstream: 5 min).</summary>
    public TimeSpan NodeStatusReportInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the runtime's containers are listed to notice changes (upstream's PLEG relist: 1 s).</summary>
    public TimeSpan RelistInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Every pod is synced at least this often (upstream: 1 min) — also refreshes configMap/secret volumes.</summary>
    public TimeSpan ResyncInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Crash-loop back-off: first delay, doubled per restart up to the maximum (upstream: 10 s, 5 min).</summary>
    public TimeSpan BackoffInitial { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A container that ran this long before it exited restarts without back-off (upstream: 10 min).</summary>
    public TimeSpan BackoffReset { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Pods synced at once.</summary>
    public int PodWorkers { get; init; } = 8;

    /// <summary>Maximum pods on the node (status.capacity.pods; upstream: 110).</summary>
    public int MaxPods { get; init; } = 110;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public Action<string> Log { get; init; } = _ => { };

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(NodeName))
        {
            errors.Add("node name must not be empty");
        }

        if (KubeletPort is < 0 or > 65535)
        {
            errors.Add($"kubelet port {KubeletPort} is out of range");
        }

        if (BackoffInitial <= TimeSpan.Zero || BackoffMax < BackoffInitial)
        {
            errors.Add("back-off must be positive and its maximum at least its first delay");
        }

        return errors;
    }
}
