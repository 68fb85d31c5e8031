namespace Korral.Kubelet.Network;

/// <summary>The node's pod network as the CNI bridge plugin sets it up: one bridge, host-local addresses from the node's pod CIDR.</summary>
public sealed record CniNetworkOptions
{
    /// <summary>The directory containerd's CRI plugin reads (its cni conf_dir).</summary>
    public required string ConfDir { get; init; }

    /// <summary>The node's pod CIDR (spec.podCIDR), e.g. 10.42.0.0/24; the gateway is its first address.</summary>
    public required string PodCidr { get; init; }

    /// <summary>The network's name (host-local keeps its allocations under DataDir/&lt;name&gt;).</summary>
    public string NetworkName { get; init; } = "korral-pods";

    /// <summary>The Linux bridge pods attach to.</summary>
    public string BridgeName { get; init; } = "cni0";

    /// <summary>Where host-local records which address each pod holds (the plugin's default).</summary>
    public string DataDir { get; init; } = "/var/lib/cni/networks";

    /// <summary>
    /// The conflist's file name. The CRI plugin loads only the first file of the directory in name order, so the
    /// network's file leads with 10-.
    /// </summary>
    public string FileName => $"10-{NetworkName}.conflist";
}
