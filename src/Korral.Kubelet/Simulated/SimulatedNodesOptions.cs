namespace Korral.Kubelet.Simulated;

/// <summary>How many hollow nodes to run and how often they report (upstream kubelet defaults where there is one).</summary>
public sealed record SimulatedNodesOptions
{
    /// <summary>How many nodes (<c>--simulated-nodes</c>).</summary>
    public int Count { get; init; } = 1;

    /// <summary>Node names are the prefix and the index from 0: sim-node-0, sim-node-1…</summary>
    public string NamePrefix { get; init; } = "sim-node-";

    /// <summary>
    /// When above 0, node i gets the label <c>topology.kubernetes.io/zone=zone-(i mod Zones)</c> (and a single region), so
    /// zone spreading can be tried on simulated nodes.
    /// </summary>
    public int Zones { get; init; }

    /// <summary>How often each node's Lease in kube-node-lease is renewed (upstream: 10 s, a quarter of its 40 s duration).</summary>
    public TimeSpan LeaseRenewInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The Lease's leaseDurationSeconds (upstream --node-lease-duration-seconds: 40).</summary>
    public int LeaseDurationSeconds { get; init; } = 40;

    /// <summary>How often node conditions get a fresh lastHeartbeatTime (upstream reports at least every 5 minutes when nothing changes).</summary>
    public TimeSpan NodeStatusInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Workers that start and stop pods.</summary>
    public int PodWorkers { get; init; } = 8;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public Action<string> Log { get; init; } = _ => { };

    /// <summary>As many nodes as there are /24 pod CIDRs in 10.244.0.0–10.255.255.0 and 100.64.0.0/10.</summary>
    public const int MaxCount = FirstRangeNodes + (64 * 256);

    private const int FirstRangeNodes = 12 * 256;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Count is < 1 or > MaxCount)
        {
            errors.Add($"--simulated-nodes must be between 1 and {MaxCount} (got {Count}): each node gets its own /24 pod CIDR");
        }

        if (LeaseRenewInterval <= TimeSpan.Zero || NodeStatusInterval <= TimeSpan.Zero)
        {
            errors.Add("lease renew and node status intervals must be positive");
        }

        if (Zones < 0)
        {
            errors.Add($"zones must not be negative (got {Zones})");
        }

        if (PodWorkers < 1)
        {
            errors.Add("pod workers must be at least 1");
        }

        return errors;
    }

    public string NodeName(int index) => $"{NamePrefix}{index}";

    /// <summary>
    /// The first three octets of node <paramref name="index"/>'s /24 pod CIDR: 10.244.0–10.255.255 for the first 3,072
    /// nodes (the usual cluster CIDR), then the shared address space 100.64.0.0/10.
    /// </summary>
    public static string PodCidrPrefix(int index) =>
        index < FirstRangeNodes
            ? $"10.{244 + (index / 256)}.{index % 256}"
            : $"100.{64 + ((index - FirstRangeNodes) / 256)}.{(index - FirstRangeNodes) % 256}";
}
