namespace Korral.Proxy.Rules;

/// <summary>The node facts rule generation depends on. Validated by <see cref="ProxyOptions.Validate"/>.</summary>
public sealed record ProxyRuleOptions
{
    /// <summary>This node's name: endpoints whose nodeName matches are local (Local traffic policies).</summary>
    public required string NodeName { get; init; }

    /// <summary>
    /// The pod network (e.g. 10.42.0.0/16). Traffic to a cluster IP from outside it is masqueraded, and pod traffic to a
    /// Local-policy external address is treated as internal. Null: no such rules (as kube-proxy without a local detector).
    /// </summary>
    public string? ClusterCidr { get; init; }

    /// <summary>
    /// The service network (e.g. 10.96.0.0/12). New connections to an address in it that no rule took (no service at
    /// that IP and port) are rejected, so they fail at once and never leave the host. Null: no such rule.
    /// </summary>
    public string? ServiceCidr { get; init; }

    /// <summary>
    /// This node's addresses. A load-balancer source range that contains one of them also admits the load-balancer IPs
    /// as sources (a node reaching a load-balancer IP it holds itself), as kube-proxy does.
    /// </summary>
    public IReadOnlyList<string> NodeIPs { get; init; } = [];

    /// <summary>Node ports answer on 127.0.0.1 too (needs net.ipv4.conf.all.route_localnet=1). Default true, as kube-proxy.</summary>
    public bool LocalhostNodePorts { get; init; } = true;

    /// <summary>The prefix of every chain name (default KORRAL-); see <see cref="ChainLayout"/>.</summary>
    public string ChainPrefix { get; init; } = ChainLayout.DefaultPrefix;

    /// <summary>Masquerade every connection to a cluster IP (kube-proxy's --masquerade-all). Default false.</summary>
    public bool MasqueradeAll { get; init; }
}
