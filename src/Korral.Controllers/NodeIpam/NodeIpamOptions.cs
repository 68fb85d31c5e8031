namespace Korral.Controllers.NodeIpam;

/// <summary>
/// Settings of <see cref="NodeIpamController"/>: kube-controller-manager's --cluster-cidr and --node-cidr-mask-size, with
/// k3s's defaults (upstream has no default cluster CIDR and allocates only with --allocate-node-cidrs, which k3s sets).
/// </summary>
public sealed record NodeIpamOptions
{
    public const string DefaultClusterCidr = "10.42.0.0/16";

    public const int DefaultNodeCidrMaskSize = 24;

    /// <summary>--cluster-cidr: the range node pod CIDRs are cut from.</summary>
    public string ClusterCidr { get; init; } = DefaultClusterCidr;

    /// <summary>--node-cidr-mask-size: the prefix length of each node's pod CIDR.</summary>
    public int NodeCidrMaskSize { get; init; } = DefaultNodeCidrMaskSize;

    /// <summary>Every problem with these options, each saying how to fix it; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        if (!CidrSet.TryParse(ClusterCidr, out var cluster))
        {
            return [$"--cluster-cidr \"{ClusterCidr}\" is not a CIDR such as {DefaultClusterCidr}"];
        }

        return CidrSet.Validate(cluster, NodeCidrMaskSize).Select(e => $"--cluster-cidr {ClusterCidr}, --node-cidr-mask-size {NodeCidrMaskSize}: {e}").ToList();
    }
}
