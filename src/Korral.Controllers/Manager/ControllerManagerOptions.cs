namespace Korral.Controllers.Manager;

/// <summary>How a <see cref="ControllerManager"/> runs (upstream kube-controller-manager's leader election flags and defaults).</summary>
public sealed record ControllerManagerOptions
{
    /// <summary>Namespace of the leader election Lease (upstream: kube-system).</summary>
    public string LeaseNamespace { get; init; } = "kube-system";

    /// <summary>Name of the leader election Lease (upstream: kube-controller-manager).</summary>
    public string LeaseName { get; init; } = "kube-controller-manager";

    /// <summary>This instance's identity in the Lease: upstream's <c>hostname_uuid</c>.</summary>
    public string Identity { get; init; } = $"{Environment.MachineName}_{Guid.NewGuid()}";

    /// <summary>--leader-elect-lease-duration (15 s).</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>--leader-elect-renew-deadline (10 s).</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>--leader-elect-retry-period (2 s).</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// --controllers: which controllers to run. <c>*</c> is every controller, <c>name</c> enables one, <c>-name</c> disables
    /// one; empty means <c>*</c>.
    /// </summary>
    public IReadOnlyList<string> Controllers { get; init; } = ["*"];

    /// <summary>--cluster-cidr: the range the nodeipam controller cuts node pod CIDRs from (k3s's default).</summary>
    public string ClusterCidr { get; init; } = NodeIpam.NodeIpamOptions.DefaultClusterCidr;

    /// <summary>--node-cidr-mask-size: the prefix length of each node's pod CIDR (24).</summary>
    public int NodeCidrMaskSize { get; init; } = NodeIpam.NodeIpamOptions.DefaultNodeCidrMaskSize;

    /// <summary>
    /// The cluster CA bundle (PEM) the root-ca-cert-publisher puts in every namespace's <c>kube-root-ca.crt</c>
    /// (upstream: --root-ca-file); null: that controller publishes nothing.
    /// </summary>
    public string? RootCaPem { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public Action<string> Log { get; init; } = _ => { };

    /// <summary>Every problem with these options, each saying how to fix it; empty when valid.</summary>
    public IReadOnlyList<string> Validate(IEnumerable<string> known)
    {
        var errors = new List<string>();
        var names = known.ToHashSet(StringComparer.Ordinal);
        foreach (var entry in Controllers)
        {
            var name = entry.StartsWith('-') ? entry[1..] : entry;
            if (name != "*" && !names.Contains(name))
            {
                errors.Add($"--controllers: unknown controller \"{name}\" (known: {string.Join(", ", names.Order(StringComparer.Ordinal))})");
            }
        }

        if (!(LeaseDuration > RenewDeadline && RenewDeadline.TotalMilliseconds > 1.2 * RetryPeriod.TotalMilliseconds))
        {
            errors.Add("leader election needs lease duration > renew deadline > 1.2 × retry period");
        }

        errors.AddRange(ToNodeIpamOptions().Validate());
        return errors;
    }

    /// <summary>The nodeipam controller's settings taken from these options.</summary>
    public NodeIpam.NodeIpamOptions ToNodeIpamOptions() => new() { ClusterCidr = ClusterCidr, NodeCidrMaskSize = NodeCidrMaskSize };

    /// <summary>Whether <paramref name="name"/> runs under <see cref="Controllers"/> (upstream's rule: an explicit entry wins over <c>*</c>).</summary>
    public bool IsEnabled(string name)
    {
        if (Controllers.Contains($"-{name}"))
        {
            return false;
        }

        return Controllers.Count == 0 || Controllers.Contains(name) || Controllers.Contains("*");
    }
}
