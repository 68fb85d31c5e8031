namespace Korral.Proxy.Rules;

/// <summary>
/// A rule in a built-in chain (PREROUTING, INPUT, FORWARD, OUTPUT, POSTROUTING) that jumps into one of our chains.
/// <see cref="Spec"/> is written exactly as iptables-save prints it, so that presence is a string comparison.
/// </summary>
public sealed record JumpRule(string Table, string Chain, string Spec)
{
    /// <summary>The line as iptables-save prints it: "-A CHAIN spec".</summary>
    public string SaveLine => $"-A {Chain} {Spec}";

    /// <summary>
    /// The jumps the proxy needs, in the order they should appear at the top of each built-in chain (kube-proxy's
    /// hooks, with korral comments). The localnet guard only exists with localhost node ports.
    /// </summary>
    public static IReadOnlyList<JumpRule> For(ProxyRuleOptions options)
    {
        var chains = new ChainLayout(options.ChainPrefix);
        var portals = "-m comment --comment \"korral service portals\" -j " + chains.Services;
        var newPortals = "-m conntrack --ctstate NEW " + portals;
        var external = "-m conntrack --ctstate NEW -m comment --comment \"korral externally-visible service portals\" -j " + chains.ExternalServices;
        var firewall = "-m conntrack --ctstate NEW -m comment --comment \"korral load balancer firewall\" -j " + chains.ProxyFirewall;
        var guard = "-m comment --comment \"korral localnet guard\" -j " + chains.Firewall;
        var rules = new List<JumpRule>
        {
            new("nat", "PREROUTING", portals),
            new("nat", "OUTPUT", portals),
            new("nat", "POSTROUTING", "-m comment --comment \"korral postrouting rules\" -j " + chains.Postrouting),
            new("filter", "INPUT", firewall),
            new("filter", "INPUT", external),
            new("filter", "FORWARD", firewall),
            new("filter", "FORWARD", "-m comment --comment \"korral forwarding rules\" -j " + chains.Forward),
            new("filter", "FORWARD", newPortals),
            new("filter", "FORWARD", external),
            new("filter", "OUTPUT", firewall),
            new("filter", "OUTPUT", newPortals),
        };
        if (options.LocalhostNodePorts)
        {
            rules.Insert(4, new("filter", "INPUT", guard));
            rules.Add(new("filter", "OUTPUT", guard));
        }

        return rules;
    }
}
