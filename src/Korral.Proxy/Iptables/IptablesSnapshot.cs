using Korral.Proxy.Rules;

namespace Korral.Proxy.Iptables;

/// <summary>
/// What iptables-save shows of ours: per table, our chains (those with our prefix, KORRAL- by default) and the rules
/// in other chains that jump into them. Everything else is skipped while parsing, so that a host with many rules of its own costs one pass.
/// </summary>
public sealed class IptablesSnapshot
{
    private readonly Dictionary<string, HashSet<string>> _chains = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _jumps = new(StringComparer.Ordinal);

    /// <summary>Our chains in <paramref name="table"/>.</summary>
    public IReadOnlySet<string> Chains(string table) => _chains.GetValueOrDefault(table) ?? [];

    /// <summary>Rules of other chains in <paramref name="table"/> that jump to a KORRAL chain, as save lines ("-A CHAIN …").</summary>
    public IReadOnlyList<string> Jumps(string table) => _jumps.GetValueOrDefault(table) ?? [];

    /// <summary>Tables seen in the save output.</summary>
    public IEnumerable<string> Tables => _chains.Keys;

    public static IptablesSnapshot Parse(string save, string prefix = ChainLayout.DefaultPrefix)
    {
        var snapshot = new IptablesSnapshot();
        HashSet<string>? chains = null;
        List<string>? jumps = null;
        foreach (var range in save.AsSpan().Split('\n'))
        {
            var line = save.AsSpan(range).TrimEnd('\r');
            if (line.IsEmpty || line[0] == '#')
            {
                continue;
            }

            if (line[0] == '*')
            {
                var table = line[1..].ToString();
                chains = [];
                jumps = [];
                snapshot._chains[table] = chains;
                snapshot._jumps[table] = jumps;
            }
            else if (line[0] == ':' && chains is not null)
            {
                var name = line[1..];
                var space = name.IndexOf(' ');
                if (space > 0)
                {
                    name = name[..space];
                }

                if (name.StartsWith(prefix, StringComparison.Ordinal))
                {
                    chains.Add(name.ToString());
                }
            }
            else if (line.StartsWith("-A ") && jumps is not null && !line[3..].StartsWith(prefix, StringComparison.Ordinal)
                     && (line.Contains(" -j " + prefix, StringComparison.Ordinal) || line.Contains(" -g " + prefix, StringComparison.Ordinal)))
            {
                jumps.Add(line.ToString());
            }
        }

        return snapshot;
    }
}
