namespace Korral.Proxy.Rules;

/// <summary>
/// The names of the proxy's chains. Every chain the proxy makes starts with <see cref="Prefix"/>, so that clean-up and
/// stale-chain removal can recognise them without touching anything else on the host. The layout follows kube-proxy's
/// iptables mode (KUBE-SERVICES, KUBE-SVC-*, KUBE-SEP-* …) with KORRAL- in place of KUBE-.
/// </summary>
public static class KorralChains
{
    public const string Prefix = "KORRAL-";

    /// <summary>nat: every service portal (cluster IPs, external IPs, load-balancer IPs), then the node ports; filter: rejections.</summary>
    public const string Services = "KORRAL-SERVICES";

    /// <summary>filter: rejections and drops for external destinations (external IPs, load-balancer IPs, node ports).</summary>
    public const string ExternalServices = "KORRAL-EXTERNAL-SERVICES";

    /// <summary>nat: node ports, reached from the last rule of KORRAL-SERVICES for local destinations.</summary>
    public const string NodePorts = "KORRAL-NODEPORTS";

    /// <summary>nat: masquerades what KORRAL-MARK-MASQ marked.</summary>
    public const string Postrouting = "KORRAL-POSTROUTING";

    /// <summary>nat: marks a packet for masquerading.</summary>
    public const string MarkMasq = "KORRAL-MARK-MASQ";

    /// <summary>filter: lets marked (service) traffic through FORWARD even when its policy is DROP.</summary>
    public const string Forward = "KORRAL-FORWARD";

    /// <summary>filter: blocks martian packets to 127/8, the hole that route_localnet (localhost node ports) opens.</summary>
    public const string Firewall = "KORRAL-FIREWALL";

    /// <summary>filter: drops traffic to load-balancer IPs from sources outside loadBalancerSourceRanges.</summary>
    public const string ProxyFirewall = "KORRAL-PROXY-FIREWALL";

    /// <summary>Source-range check of a load-balancer service port (loadBalancerSourceRanges).</summary>
    public const string FirewallPrefix = "KORRAL-FW-";

    /// <summary>Service port chain with every usable endpoint (Cluster traffic policy).</summary>
    public const string ServicePrefix = "KORRAL-SVC-";

    /// <summary>Service port chain with this node's endpoints only (Local traffic policy).</summary>
    public const string LocalServicePrefix = "KORRAL-SVL-";

    /// <summary>External-destination chain of a service port (node port, external and load-balancer IPs).</summary>
    public const string ExternalPrefix = "KORRAL-EXT-";

    /// <summary>One endpoint of a service port: hairpin masquerade and DNAT.</summary>
    public const string EndpointPrefix = "KORRAL-SEP-";

    /// <summary>The mark (bit) that asks KORRAL-POSTROUTING to masquerade, the value kube-proxy uses.</summary>
    public const string MasqueradeMark = "0x4000";

    /// <summary>True for the per-service chains that syncs create and delete (SVC, SVL, EXT, SEP, FW).</summary>
    public static bool IsServiceChain(string chain) =>
        chain.StartsWith(ServicePrefix, StringComparison.Ordinal)
        || chain.StartsWith(LocalServicePrefix, StringComparison.Ordinal)
        || chain.StartsWith(ExternalPrefix, StringComparison.Ordinal)
        || chain.StartsWith(EndpointPrefix, StringComparison.Ordinal)
        || chain.StartsWith(FirewallPrefix, StringComparison.Ordinal);

    /// <summary>True for any chain the proxy owns.</summary>
    public static bool IsOurs(string chain) => chain.StartsWith(Prefix, StringComparison.Ordinal);
}
