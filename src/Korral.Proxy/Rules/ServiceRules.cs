namespace Korral.Proxy.Rules;

/// <summary>
/// The rules one Service contributes, as iptables-restore lines ("-A CHAIN …\n"), split by where they go: the shared
/// chains (rewritten on every sync) and the service's own chains (rewritten only when the service or its endpoints
/// changed, or on a full sync). Built by <see cref="ServiceRuleWriter"/>; immutable, so a sync can reuse it.
/// </summary>
public sealed class ServiceRules
{
    /// <summary>"namespace/name".</summary>
    public required string Key { get; init; }

    /// <summary>nat KORRAL-SERVICES rules: cluster IP, external IPs, load-balancer IPs.</summary>
    public string NatServices { get; init; } = "";

    /// <summary>nat KORRAL-NODEPORTS rules.</summary>
    public string NatNodePorts { get; init; } = "";

    /// <summary>filter KORRAL-SERVICES rules: cluster IPs without (local) endpoints.</summary>
    public string FilterServices { get; init; } = "";

    /// <summary>filter KORRAL-EXTERNAL-SERVICES rules: external addresses and node ports without (local) endpoints.</summary>
    public string FilterExternal { get; init; } = "";

    /// <summary>filter KORRAL-PROXY-FIREWALL rules: load-balancer IPs whose source ranges did not admit the client.</summary>
    public string FilterFirewall { get; init; } = "";

    /// <summary>The nat chains this service owns (SVC, SVL, EXT, SEP), in the order they are declared.</summary>
    public IReadOnlyList<string> NatChains { get; init; } = [];

    /// <summary>The rules of <see cref="NatChains"/>.</summary>
    public string NatChainRules { get; init; } = "";

    /// <summary>Endpoint chains written (for statistics and the large-cluster decision).</summary>
    public int EndpointChainCount { get; init; }

    public static ServiceRules Empty(string key) => new() { Key = key };
}
