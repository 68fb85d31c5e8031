namespace Korral.Kubelet.Translation;

/// <summary>
/// The node's DNS settings (kubelet flags --cluster-dns, --cluster-domain, --resolv-conf). <see cref="HostResolvConf"/>
/// is the content of the node's resolv.conf, or null for <c>--resolv-conf=""</c> (then host-DNS pods resolve through
/// the loopback, as upstream); <see cref="NodeIPs"/> pick 127.0.0.1 or ::1 in that case.
/// </summary>
public sealed record DnsContext(
    IReadOnlyList<string> ClusterDns,
    string ClusterDomain,
    string? HostResolvConf,
    IReadOnlyList<string> NodeIPs);
