using Korral.Proxy.Host;
using Korral.Proxy.Iptables;

namespace Korral.Proxy;

/// <summary>
/// Removes everything the proxy made on this host: every chain with its prefix (KORRAL-) in every table, the rules of other chains that
/// jump into them, and the guard bridge with its route — in one iptables-restore, so nothing is left half-removed.
/// Sysctls are left as they are (other components rely on ip_forward too). Safe to run when nothing is there. Root.
/// </summary>
public static class ProxyCleanup
{
    public static async Task<ProxyCleanupResult> RunAsync(ProxyCleanupOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var runner = new ProcessCommandRunner(options.CommandPrefix);
        var iptables = new IptablesClient(runner);
        var snapshot = await iptables.SaveAsync(options.ChainPrefix, cancellationToken);
        var text = RestoreInput(snapshot, out var chains, out var jumps);
        if (chains + jumps > 0)
        {
            await iptables.RestoreAsync(text, cancellationToken);
            options.Log($"proxy clean-up: deleted {chains} chains and {jumps} jump rules");
        }

        var bridge = options.GuardBridge is { } name && await new HostNetwork(runner, options.Log).RemoveGuardAsync(name, cancellationToken);
        if (bridge)
        {
            options.Log($"proxy clean-up: deleted the guard bridge {options.GuardBridge}");
        }

        return new ProxyCleanupResult(chains, jumps, bridge);
    }

    /// <summary>The restore input that removes our jumps, then flushes and deletes our chains, table by table.</summary>
    internal static string RestoreInput(IptablesSnapshot snapshot, out int chains, out int jumps)
    {
        chains = 0;
        jumps = 0;
        var text = new System.Text.StringBuilder();
        foreach (var table in snapshot.Tables)
        {
            var ours = snapshot.Chains(table);
            var rules = snapshot.Jumps(table);
            if (ours.Count == 0 && rules.Count == 0)
            {
                continue;
            }

            text.Append('*').Append(table).Append('\n');
            foreach (var chain in ours.Order(StringComparer.Ordinal))
            {
                // Declaring flushes: afterwards no chain of ours references another, so any deletion order works.
                text.Append(':').Append(chain).Append(" - [0:0]\n");
            }

            foreach (var line in rules)
            {
                text.Append("-D").Append(line.AsSpan(2)).Append('\n');
            }

            foreach (var chain in ours.Order(StringComparer.Ordinal))
            {
                text.Append("-X ").Append(chain).Append('\n');
            }

            text.Append("COMMIT\n");
            chains += ours.Count;
            jumps += rules.Count;
        }

        return text.ToString();
    }
}
