using System.Text;

namespace Korral.Proxy.Rules;

/// <summary>
/// Writes the input of `iptables-restore --noflush`: for the filter and the nat table, the chains we rewrite (a
/// ":CHAIN - [0:0]" line creates a chain or flushes it; chains not named are left alone, which is what keeps the rest
/// of the host's rules untouched), then the rules, then the deletions of stale chains, then COMMIT. The whole input is
/// one transaction: it applies entirely or not at all.
/// </summary>
public sealed class RestoreWriter
{
    private readonly ProxyRuleOptions _options;
    private readonly ChainLayout _chains;
    private readonly string[] _natTopChains;

    public RestoreWriter(ProxyRuleOptions options)
    {
        _options = options;
        _chains = new ChainLayout(options.ChainPrefix);
        _natTopChains = [_chains.Services, _chains.NodePorts, _chains.Postrouting, _chains.MarkMasq];
    }

    /// <summary>The top-level chains of <paramref name="table"/> ("nat" or "filter"): always rewritten.</summary>
    public IReadOnlyList<string> TopChains(string table) => table == "nat"
        ? _natTopChains
        : _options.LocalhostNodePorts
            ? [_chains.Services, _chains.ExternalServices, _chains.Forward, _chains.ProxyFirewall, _chains.Firewall]
            : [_chains.Services, _chains.ExternalServices, _chains.Forward, _chains.ProxyFirewall];

    public string Write(RestoreInput input)
    {
        var size = 1024;
        foreach (var s in input.Services)
        {
            size += s.NatServices.Length + s.NatNodePorts.Length + s.FilterServices.Length + s.FilterExternal.Length;
            if (input.RewriteChainsOf is null || input.RewriteChainsOf.Contains(s.Key))
            {
                size += s.NatChainRules.Length + (s.NatChains.Count * 32);
            }
        }

        var text = new StringBuilder(size);
        WriteFilter(text, input);
        WriteNat(text, input);
        return text.ToString();
    }

    private void WriteFilter(StringBuilder text, RestoreInput input)
    {
        text.Append("*filter\n");
        foreach (var chain in TopChains("filter"))
        {
            Declare(text, chain);
        }

        var stale = input.StaleChains.GetValueOrDefault("filter") ?? [];
        foreach (var chain in stale)
        {
            Declare(text, chain);
        }

        WriteJumps(text, input, "filter");
        foreach (var s in input.Services)
        {
            text.Append(s.FilterServices);
        }

        if (_options.ServiceCidr is { } serviceCidr)
        {
            // Last in the chain: a new connection to the service network that no DNAT took has no service behind it.
            text.Append("-A ").Append(_chains.Services).Append(" -d ").Append(serviceCidr)
                .Append(" -m comment --comment \"korral: no service at this cluster IP and port\" -j REJECT\n");
        }

        foreach (var s in input.Services)
        {
            text.Append(s.FilterExternal);
        }

        foreach (var s in input.Services)
        {
            text.Append(s.FilterFirewall);
        }

        text.Append("-A ").Append(_chains.Forward).Append(" -m conntrack --ctstate INVALID -j DROP\n");
        text.Append("-A ").Append(_chains.Forward).Append(" -m comment --comment \"korral forwarding rules\" -m mark --mark ")
            .Append(ChainLayout.MasqueradeMark).Append('/').Append(ChainLayout.MasqueradeMark).Append(" -j ACCEPT\n");
        text.Append("-A ").Append(_chains.Forward)
            .Append(" -m comment --comment \"korral forwarding conntrack rule\" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n");
        if (_options.LocalhostNodePorts)
        {
            // route_localnet lets packets to 127/8 be routed; only our DNATed ones (and loopback's own) may pass.
            text.Append("-A ").Append(_chains.Firewall)
                .Append(" ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment \"block incoming localnet connections\"")
                .Append(" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP\n");
        }

        WriteDeletions(text, stale);
        text.Append("COMMIT\n");
    }

    private void WriteNat(StringBuilder text, RestoreInput input)
    {
        text.Append("*nat\n");
        foreach (var chain in _natTopChains)
        {
            Declare(text, chain);
        }

        foreach (var s in input.Services)
        {
            if (input.RewriteChainsOf is null || input.RewriteChainsOf.Contains(s.Key))
            {
                foreach (var chain in s.NatChains)
                {
                    Declare(text, chain);
                }
            }
        }

        var stale = input.StaleChains.GetValueOrDefault("nat") ?? [];
        foreach (var chain in stale)
        {
            Declare(text, chain);
        }

        WriteJumps(text, input, "nat");
        var mark = ChainLayout.MasqueradeMark;
        text.Append("-A ").Append(_chains.Postrouting).Append(" -m mark ! --mark ").Append(mark).Append('/').Append(mark).Append(" -j RETURN\n");
        // Clear the mark, so that a packet passing the stack again is not masqueraded twice.
        text.Append("-A ").Append(_chains.Postrouting).Append(" -j MARK --xor-mark ").Append(mark).Append('\n');
        text.Append("-A ").Append(_chains.Postrouting)
            .Append(" -m comment --comment \"korral service traffic requiring SNAT\" -j MASQUERADE --random-fully\n");
        text.Append("-A ").Append(_chains.MarkMasq).Append(" -j MARK --or-mark ").Append(mark).Append('\n');

        foreach (var s in input.Services)
        {
            text.Append(s.NatServices);
        }

        text.Append("-A ").Append(_chains.Services)
            .Append(" -m comment --comment \"korral service nodeports; NOTE: this must be the last rule in this chain\" -m addrtype --dst-type LOCAL");
        if (!_options.LocalhostNodePorts)
        {
            text.Append(" ! -d 127.0.0.0/8");
        }

        text.Append(" -j ").Append(_chains.NodePorts).Append('\n');
        foreach (var s in input.Services)
        {
            text.Append(s.NatNodePorts);
        }

        foreach (var s in input.Services)
        {
            if (input.RewriteChainsOf is null || input.RewriteChainsOf.Contains(s.Key))
            {
                text.Append(s.NatChainRules);
            }
        }

        WriteDeletions(text, stale);
        text.Append("COMMIT\n");
    }

    private static void WriteJumps(StringBuilder text, RestoreInput input, string table)
    {
        foreach (var (ruleTable, line) in input.DeleteRules)
        {
            if (ruleTable == table)
            {
                text.Append("-D").Append(line.AsSpan(2)).Append('\n');
            }
        }

        // Inserting at position 1 in reverse order leaves them in the wanted order at the top.
        for (var i = input.InsertJumps.Count - 1; i >= 0; i--)
        {
            var jump = input.InsertJumps[i];
            if (jump.Table == table)
            {
                text.Append("-I ").Append(jump.Chain).Append(" 1 ").Append(jump.Spec).Append('\n');
            }
        }
    }

    private static void WriteDeletions(StringBuilder text, IReadOnlyCollection<string> stale)
    {
        foreach (var chain in stale)
        {
            text.Append("-X ").Append(chain).Append('\n');
        }
    }

    private static void Declare(StringBuilder text, string chain) => text.Append(':').Append(chain).Append(" - [0:0]\n");
}
