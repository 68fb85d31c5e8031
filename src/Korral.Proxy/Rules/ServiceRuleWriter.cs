using System.Globalization;
using System.Text;

namespace Korral.Proxy.Rules;

/// <summary>
/// Writes the rules of one Service's ports, with kube-proxy's iptables layout and semantics:
/// <list type="bullet">
/// <item>KORRAL-SERVICES (nat) sends each cluster IP to the internal policy chain (SVC for Cluster, SVL for Local), and
/// each external IP and load-balancer IP to the EXT chain; KORRAL-NODEPORTS sends node ports to the EXT chain.</item>
/// <item>The EXT chain masquerades (Cluster policy), or for Local policy keeps the client address except for traffic
/// from pods and from the node itself, which goes to the Cluster chain (so that a Local service still answers them).</item>
/// <item>SVC/SVL pick an endpoint with probabilities 1/n, 1/(n-1) … 1 (uniform), after ClientIP-affinity rules that send
/// a recent client back to its endpoint (-m recent, per endpoint chain, timeoutSeconds).</item>
/// <item>Each SEP chain masquerades hairpin traffic (an endpoint reaching itself through the service) and DNATs.</item>
/// <item>Ports without endpoints get filter rules instead: REJECT when nothing is usable anywhere, DROP when the Local
/// policy finds nothing on this node.</item>
/// </list>
/// </summary>
public sealed class ServiceRuleWriter
{
    private readonly ProxyRuleOptions _options;
    private readonly ChainLayout _chains;

    public ServiceRuleWriter(ProxyRuleOptions options)
    {
        _options = options;
        _chains = new ChainLayout(options.ChainPrefix);
    }

    /// <summary>The rules of <paramref name="ports"/> (all of one service, <paramref name="key"/>).</summary>
    /// <param name="endpointComments">false drops the per-endpoint comments (large clusters: they are most of the bytes).</param>
    public ServiceRules Write(string key, IReadOnlyList<ServicePortInfo> ports, bool endpointComments = true)
    {
        if (ports.Count == 0)
        {
            return ServiceRules.Empty(key);
        }

        var sections = new Sections();
        var endpointChains = 0;
        foreach (var port in ports)
        {
            endpointChains += WritePort(port, endpointComments, sections);
        }

        return new ServiceRules
        {
            Key = key,
            NatServices = sections.Nat.ToString(),
            NatNodePorts = sections.NodePorts.ToString(),
            FilterServices = sections.Filter.ToString(),
            FilterExternal = sections.FilterExternal.ToString(),
            FilterFirewall = sections.FilterFirewall.ToString(),
            NatChains = sections.Chains,
            NatChainRules = sections.Rules.ToString(),
            EndpointChainCount = endpointChains,
        };
    }

    private int WritePort(ServicePortInfo port, bool endpointComments, Sections sections)
    {
        var (nat, nodePorts, filter, filterExternal, chains, rules) =
            (sections.Nat, sections.NodePorts, sections.Filter, sections.FilterExternal, sections.Chains, sections.Rules);
        var name = port.NameString;
        var proto = port.Protocol;
        var selection = EndpointSelection.For(port);
        var clusterChain = _chains.Service(name, proto);
        var localChain = _chains.LocalService(name, proto);
        var externalChain = _chains.External(name, proto);

        var usesClusterChain = selection.Cluster.Count > 0 && port.UsesClusterEndpoints;
        var usesLocalChain = selection.Local.Count > 0 && port.UsesLocalEndpoints;
        var internalChain = port.InternalPolicyLocal ? localChain : clusterChain;
        var hasInternal = selection.HasAny && (!port.InternalPolicyLocal || selection.Local.Count > 0);
        var externalPolicyChain = port.ExternalPolicyLocal ? localChain : clusterChain;
        var hasExternal = selection.HasAny && (!port.ExternalPolicyLocal || selection.Local.Count > 0);
        var usesExternalChain = selection.HasAny && port.ExternallyAccessible;
        var firewallChain = _chains.LoadBalancerFirewall(name, proto);
        var usesFirewallChain = selection.HasAny && port.LoadBalancerIPs.Count > 0 && port.LoadBalancerSourceRanges.Count > 0;

        string internalTarget = "", internalComment = "", externalTarget = "", externalComment = "";
        if (!selection.HasAny)
        {
            internalTarget = externalTarget = "REJECT";
            internalComment = externalComment = $"{name} has no endpoints";
        }
        else
        {
            if (!hasInternal)
            {
                internalTarget = "DROP";
                internalComment = $"{name} has no local endpoints";
            }

            if (!hasExternal)
            {
                externalTarget = "DROP";
                externalComment = $"{name} has no local endpoints";
            }
        }

        var dport = port.Port.ToString(CultureInfo.InvariantCulture);

        // Cluster IP.
        if (hasInternal)
        {
            nat.Append("-A ").Append(_chains.Services).Append(" -d ").Append(port.ClusterIP).Append("/32 -p ").Append(proto)
                .Append(" -m comment --comment \"").Append(name).Append(" cluster IP\" -m ").Append(proto).Append(" --dport ").Append(dport)
                .Append(" -j ").Append(internalChain).Append('\n');
        }
        else
        {
            Reject(filter, _chains.Services, port.ClusterIP, proto, dport, internalComment, internalTarget);
        }

        // External IPs and load-balancer IPs (through the source-range check when there is one).
        foreach (var (addresses, what, target) in new[]
                 {
                     (port.ExternalIPs, "external IP", externalChain),
                     (port.LoadBalancerIPs, "loadbalancer IP", usesFirewallChain ? firewallChain : externalChain),
                 })
        {
            foreach (var ip in addresses)
            {
                if (selection.HasAny)
                {
                    nat.Append("-A ").Append(_chains.Services).Append(" -d ").Append(ip).Append("/32 -p ").Append(proto)
                        .Append(" -m comment --comment \"").Append(name).Append(' ').Append(what).Append("\" -m ").Append(proto)
                        .Append(" --dport ").Append(dport).Append(" -j ").Append(target).Append('\n');
                }

                if (!hasExternal)
                {
                    Reject(filterExternal, _chains.ExternalServices, ip, proto, dport, externalComment, externalTarget);
                }
            }
        }

        // Node port.
        if (port.NodePort != 0)
        {
            var nodePort = port.NodePort.ToString(CultureInfo.InvariantCulture);
            if (selection.HasAny)
            {
                nodePorts.Append("-A ").Append(_chains.NodePorts).Append(" -p ").Append(proto).Append(" -m comment --comment \"")
                    .Append(name).Append("\" -m ").Append(proto).Append(" --dport ").Append(nodePort).Append(" -j ").Append(externalChain).Append('\n');
            }

            if (!hasExternal)
            {
                filterExternal.Append("-A ").Append(_chains.ExternalServices).Append(" -p ").Append(proto)
                    .Append(" -m comment --comment \"").Append(externalComment).Append("\" -m addrtype --dst-type LOCAL -m ").Append(proto)
                    .Append(" --dport ").Append(nodePort).Append(" -j ").Append(externalTarget).Append('\n');
            }
        }

        // The port's own chains: declared in this order, their rules appended below in the same order.
        if (usesExternalChain)
        {
            chains.Add(externalChain);
        }

        if (usesFirewallChain)
        {
            chains.Add(firewallChain);
        }

        if (usesClusterChain)
        {
            chains.Add(clusterChain);
        }

        if (usesLocalChain)
        {
            chains.Add(localChain);
        }

        // Traffic to the cluster IP from outside the pod network (the node itself, or routed in) is masqueraded, so that
        // replies come back through this node.
        if (hasInternal && (_options.MasqueradeAll || _options.ClusterCidr is not null))
        {
            rules.Append("-A ").Append(internalChain);
            if (!_options.MasqueradeAll)
            {
                rules.Append(" ! -s ").Append(_options.ClusterCidr);
            }

            rules.Append(" -d ").Append(port.ClusterIP).Append("/32 -p ").Append(proto).Append(" -m comment --comment \"").Append(name)
                .Append(" cluster IP\" -m ").Append(proto).Append(" --dport ").Append(dport).Append(" -j ").Append(_chains.MarkMasq).Append('\n');
        }

        if (usesExternalChain)
        {
            if (!port.ExternalPolicyLocal)
            {
                // Cluster policy may send external traffic to another node: masquerade so that the reply returns here.
                rules.Append("-A ").Append(externalChain).Append(" -m comment --comment \"masquerade traffic for ").Append(name)
                    .Append(" external destinations\" -j ").Append(_chains.MarkMasq).Append('\n');
            }
            else
            {
                // Local policy keeps the client's address; pods and the node itself are "inside" and use Cluster endpoints.
                if (_options.ClusterCidr is not null)
                {
                    rules.Append("-A ").Append(externalChain).Append(" -s ").Append(_options.ClusterCidr).Append(" -m comment --comment \"pod traffic for ")
                        .Append(name).Append(" external destinations\" -j ").Append(clusterChain).Append('\n');
                }

                rules.Append("-A ").Append(externalChain).Append(" -m comment --comment \"masquerade LOCAL traffic for ").Append(name)
                    .Append(" external destinations\" -m addrtype --src-type LOCAL -j ").Append(_chains.MarkMasq).Append('\n');
                rules.Append("-A ").Append(externalChain).Append(" -m comment --comment \"route LOCAL traffic for ").Append(name)
                    .Append(" external destinations\" -m addrtype --src-type LOCAL -j ").Append(clusterChain).Append('\n');
            }

            if (hasExternal)
            {
                rules.Append("-A ").Append(externalChain).Append(" -j ").Append(externalPolicyChain).Append('\n');
            }
        }

        if (usesFirewallChain)
        {
            WriteFirewall(port, firewallChain, externalChain, sections);
        }

        if (usesClusterChain)
        {
            WriteBalancing(rules, port, clusterChain, selection.Cluster, endpointComments);
        }

        if (usesLocalChain)
        {
            WriteBalancing(rules, port, localChain, selection.Local, endpointComments);
        }

        foreach (var endpoint in selection.AllReachable)
        {
            var chain = _chains.Endpoint(name, proto, endpoint.Address);
            chains.Add(chain);
            // Hairpin: an endpoint reaching itself through the service must see the reply come from the node.
            rules.Append("-A ").Append(chain).Append(" -s ").Append(endpoint.Ip).Append("/32");
            Comment(rules, name, endpointComments);
            rules.Append(" -j ").Append(_chains.MarkMasq).Append('\n');
            rules.Append("-A ").Append(chain).Append(" -p ").Append(proto);
            Comment(rules, name, endpointComments);
            if (port.AffinitySeconds > 0)
            {
                rules.Append(" -m recent --set --name ").Append(chain);
            }

            rules.Append(" -m ").Append(proto).Append(" -j DNAT --to-destination ").Append(endpoint.Address).Append('\n');
        }

        return selection.AllReachable.Count;
    }

    /// <summary>
    /// loadBalancerSourceRanges: the FW chain sends admitted sources on to the EXT chain; what it lets fall through is
    /// not DNATed and meets the DROP in KORRAL-PROXY-FIREWALL (filter), which matches the load-balancer IP itself.
    /// </summary>
    private void WriteFirewall(ServicePortInfo port, string firewallChain, string externalChain, Sections sections)
    {
        var name = port.NameString;
        var dport = port.Port.ToString(CultureInfo.InvariantCulture);
        var fromNode = false;
        foreach (var range in port.LoadBalancerSourceRanges)
        {
            sections.Rules.Append("-A ").Append(firewallChain).Append(" -s ").Append(range).Append(" -m comment --comment \"").Append(name)
                .Append(" loadbalancer IP\" -j ").Append(externalChain).Append('\n');
            var network = System.Net.IPNetwork.Parse(range);
            fromNode |= _options.NodeIPs.Any(ip => System.Net.IPAddress.TryParse(ip, out var a) && network.Contains(a));
        }

        if (fromNode)
        {
            // A node reaching a load-balancer IP it holds itself shows up with that IP as source.
            foreach (var ip in port.LoadBalancerIPs)
            {
                sections.Rules.Append("-A ").Append(firewallChain).Append(" -s ").Append(ip).Append("/32 -m comment --comment \"").Append(name)
                    .Append(" loadbalancer IP\" -j ").Append(externalChain).Append('\n');
            }
        }

        sections.Rules.Append("-A ").Append(firewallChain).Append(" -m comment --comment \"other traffic to ").Append(name)
            .Append(" will be dropped by ").Append(_chains.ProxyFirewall).Append("\"\n");
        foreach (var ip in port.LoadBalancerIPs)
        {
            sections.FilterFirewall.Append("-A ").Append(_chains.ProxyFirewall).Append(" -d ").Append(ip).Append("/32 -p ").Append(port.Protocol)
                .Append(" -m comment --comment \"").Append(name).Append(" traffic not accepted by ").Append(firewallChain).Append("\" -m ")
                .Append(port.Protocol).Append(" --dport ").Append(dport).Append(" -j DROP\n");
        }
    }

    private void WriteBalancing(StringBuilder rules, ServicePortInfo port, string chain, IReadOnlyList<ProxyEndpoint> endpoints, bool comments)
    {
        var name = port.NameString;
        if (port.AffinitySeconds > 0)
        {
            var seconds = port.AffinitySeconds.ToString(CultureInfo.InvariantCulture);
            foreach (var endpoint in endpoints)
            {
                var endpointChain = _chains.Endpoint(name, port.Protocol, endpoint.Address);
                rules.Append("-A ").Append(chain);
                Comment(rules, $"{name} -> {endpoint.Address}", comments);
                rules.Append(" -m recent --rcheck --seconds ").Append(seconds).Append(" --reap --name ").Append(endpointChain)
                    .Append(" -j ").Append(endpointChain).Append('\n');
            }
        }

        for (var i = 0; i < endpoints.Count; i++)
        {
            var endpoint = endpoints[i];
            rules.Append("-A ").Append(chain);
            Comment(rules, $"{name} -> {endpoint.Address}", comments);
            if (i < endpoints.Count - 1)
            {
                // Rule i matches 1/(n-i) of what reaches it: every endpoint gets 1/n overall.
                rules.Append(" -m statistic --mode random --probability ").Append(Probability(endpoints.Count - i));
            }

            rules.Append(" -j ").Append(_chains.Endpoint(name, port.Protocol, endpoint.Address)).Append('\n');
        }
    }

    /// <summary>1/n with 10 decimals, as kube-proxy writes it.</summary>
    internal static string Probability(int n) => (1.0 / n).ToString("F10", CultureInfo.InvariantCulture);

    private static void Comment(StringBuilder rules, string comment, bool enabled)
    {
        if (enabled)
        {
            rules.Append(" -m comment --comment \"").Append(comment).Append('"');
        }
    }

    private static void Reject(StringBuilder rules, string chain, string ip, string proto, string dport, string comment, string target) =>
        rules.Append("-A ").Append(chain).Append(" -d ").Append(ip).Append("/32 -p ").Append(proto).Append(" -m comment --comment \"")
            .Append(comment).Append("\" -m ").Append(proto).Append(" --dport ").Append(dport).Append(" -j ").Append(target).Append('\n');

    /// <summary>The text of one service, by destination.</summary>
    private sealed class Sections
    {
        public StringBuilder Nat { get; } = new();

        public StringBuilder NodePorts { get; } = new();

        public StringBuilder Filter { get; } = new();

        public StringBuilder FilterExternal { get; } = new();

        public StringBuilder FilterFirewall { get; } = new();

        public List<string> Chains { get; } = [];

        public StringBuilder Rules { get; } = new();
    }
}
