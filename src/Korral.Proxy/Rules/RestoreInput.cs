namespace Korral.Proxy.Rules;

/// <summary>What one iptables-restore should do. See <see cref="RestoreWriter"/>.</summary>
public sealed record RestoreInput
{
    /// <summary>Every service's rules, in the order they are written (ordinal by key keeps the text deterministic).</summary>
    public required IReadOnlyCollection<ServiceRules> Services { get; init; }

    /// <summary>
    /// Services whose own chains are rewritten; null rewrites every service's chains (a full sync). Chains of the other
    /// services are left as they are: not declared, so --noflush keeps them.
    /// </summary>
    public IReadOnlySet<string>? RewriteChainsOf { get; init; }

    /// <summary>Jump rules to insert at the top of built-in chains (missing ones, in the wanted order).</summary>
    public IReadOnlyList<JumpRule> InsertJumps { get; init; } = [];

    /// <summary>Rules to delete from built-in chains: jumps into our chains that are no longer wanted (save lines, "-A …").</summary>
    public IReadOnlyList<(string Table, string SaveLine)> DeleteRules { get; init; } = [];

    /// <summary>Our chains to flush and delete, per table ("nat", "filter").</summary>
    public IReadOnlyDictionary<string, IReadOnlyCollection<string>> StaleChains { get; init; } = new Dictionary<string, IReadOnlyCollection<string>>();
}
