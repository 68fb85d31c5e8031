using System.Net;
using Korral.Proxy.Host;
using Korral.Proxy.Rules;

namespace Korral.Proxy;

/// <summary>
/// Settings of the service proxy on one node. Defaults are kube-proxy's (iptables mode) where it has one.
/// <see cref="Validate"/> runs once at start and lists every problem.
/// </summary>
public sealed record ProxyOptions
{
    /// <summary>This node's name (endpoints with this nodeName are local).</summary>
    public required string NodeName { get; init; }

    /// <summary>This node's addresses (for loadBalancerSourceRanges that admit the node itself). Optional.</summary>
    public IReadOnlyList<string> NodeIPs { get; init; } = [];

    /// <summary>The pod network, e.g. 10.42.0.0/16 (kube-proxy's --cluster-cidr). Null: no masquerading of off-cluster traffic to cluster IPs.</summary>
    public string? ClusterCidr { get; init; }

    /// <summary>
    /// The service network, e.g. 10.96.0.0/12 (--service-cluster-ip-range). With it, connections to an unassigned cluster
    /// IP are rejected and the guard route keeps them on the host.
    /// </summary>
    public string? ServiceCidr { get; init; }

    /// <summary>Node ports answer on 127.0.0.1 too (kube-proxy's --iptables-localhost-nodeports, default true).</summary>
    public bool LocalhostNodePorts { get; init; } = true;

    /// <summary>kube-proxy's --masquerade-all.</summary>
    public bool MasqueradeAll { get; init; }

    /// <summary>Least time between two syncs (kube-proxy's --iptables-min-sync-period, 1 s): bursts of changes share a sync.</summary>
    public TimeSpan MinSyncPeriod { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest time without a sync (kube-proxy's --iptables-sync-period, 30 s): the shared chains are rewritten even without changes.</summary>
    public TimeSpan SyncPeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often a sync rewrites every chain, re-checks the jump rules and removes leftover chains (kube-proxy: 1 hour).
    /// The first sync and the sync after a failure are always full.
    /// </summary>
    public TimeSpan FullSyncPeriod { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The empty bridge holding the service network's route (needs <see cref="ServiceCidr"/>); null: no guard.</summary>
    public string? GuardBridge { get; init; } = HostNetwork.DefaultGuardBridge;

    /// <summary>Set net.ipv4.ip_forward and (for localhost node ports) route_localnet to 1 at start.</summary>
    public bool ManageSysctls { get; init; } = true;

    /// <summary>
    /// Also run the LoadBalancer status writer (node addresses into status.loadBalancer of type LoadBalancer services,
    /// as k3s's servicelb). Once per cluster is enough: on servers, not on agents. Default false.
    /// </summary>
    public bool WriteLoadBalancerStatus { get; init; }

    /// <summary>
    /// The prefix of every chain (default KORRAL-): two proxies on one host (two test clusters) need two prefixes, two
    /// guard bridges and two service CIDRs (whichever hook comes first in PREROUTING would take a shared cluster IP).
    /// 2–8 characters of A–Z, 0–9, '-', ending in '-'.
    /// </summary>
    public string ChainPrefix { get; init; } = ChainLayout.DefaultPrefix;

    /// <summary>Prefix for every host command (e.g. ["nsenter", "--net=/proc/PID/ns/net", "--"]); empty on a node.</summary>
    public IReadOnlyList<string> CommandPrefix { get; init; } = [];

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public Action<string> Log { get; init; } = _ => { };

    /// <summary>The part of the options that rule generation depends on.</summary>
    public ProxyRuleOptions Rules => new()
    {
        NodeName = NodeName,
        NodeIPs = NodeIPs,
        ClusterCidr = ClusterCidr,
        ServiceCidr = ServiceCidr,
        LocalhostNodePorts = LocalhostNodePorts,
        MasqueradeAll = MasqueradeAll,
        ChainPrefix = ChainPrefix,
    };

    /// <summary>Every problem with these options (empty when they are usable), each saying what to change.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(NodeName))
        {
            problems.Add("NodeName: required (the node this proxy runs on)");
        }

        foreach (var (name, value) in new[] { (nameof(ClusterCidr), ClusterCidr), (nameof(ServiceCidr), ServiceCidr) })
        {
            if (value is not null && (!IPNetwork.TryParse(value, out var network) || network.BaseAddress.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork))
            {
                problems.Add($"{name}: \"{value}\" is not an IPv4 CIDR such as 10.96.0.0/12");
            }
        }

        foreach (var ip in NodeIPs)
        {
            if (!IPAddress.TryParse(ip, out _))
            {
                problems.Add($"NodeIPs: \"{ip}\" is not an IP address");
            }
        }

        if (ChainLayout.Problem(ChainPrefix) is { } prefixProblem)
        {
            problems.Add($"ChainPrefix: {prefixProblem}");
        }

        if (MinSyncPeriod < TimeSpan.Zero)
        {
            problems.Add("MinSyncPeriod: must not be negative");
        }

        if (SyncPeriod <= TimeSpan.Zero || SyncPeriod < MinSyncPeriod)
        {
            problems.Add("SyncPeriod: must be positive and at least MinSyncPeriod");
        }

        if (FullSyncPeriod < SyncPeriod)
        {
            problems.Add("FullSyncPeriod: must be at least SyncPeriod");
        }

        if (GuardBridge is { } bridge && (bridge.Length is 0 or > 15 || bridge.Any(c => char.IsWhiteSpace(c) || c == '/')))
        {
            problems.Add($"GuardBridge: \"{bridge}\" is not an interface name (1-15 characters, no spaces or slashes)");
        }

        return problems;
    }
}
