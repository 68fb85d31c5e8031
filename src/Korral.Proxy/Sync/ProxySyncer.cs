using System.Diagnostics;
using Korral.Proxy.Host;
using Korral.Proxy.Iptables;
using Korral.Proxy.Rules;

namespace Korral.Proxy.Sync;

/// <summary>
/// Turns the current Services and EndpointSlices into one iptables-restore and applies it.
/// <para>Each service's rules are kept between syncs and recomputed only when the service or one of its slices changed
/// (<see cref="MarkChanged"/>). A partial sync rewrites the shared chains (KORRAL-SERVICES, KORRAL-NODEPORTS …, one
/// rule per service port: cheap) and only the changed services' own chains; chains that disappeared are deleted in the
/// same restore. A full sync (the first, one after a failure, and every <see cref="ProxyOptions.FullSyncPeriod"/>)
/// rewrites every chain, reads iptables-save to insert missing jump rules, remove outdated ones and delete leftover
/// KORRAL- chains, and re-checks the guard route. Cost per sync: linear in the number of service ports, plus the
/// changed services' endpoints.</para>
/// <para>Not thread-safe: one sync at a time (the sync loop's job); <see cref="MarkChanged"/> may be called from any thread.</para>
/// </summary>
public sealed class ProxySyncer
{
    private readonly ProxyOptions _options;
    private readonly IptablesClient _iptables;
    private readonly HostNetwork? _host;
    private readonly ServiceRuleWriter _ruleWriter;
    private readonly ConntrackCleaner _conntrack;
    private readonly Dictionary<string, List<UdpServicePort>> _udp = new(StringComparer.Ordinal);
    private readonly RestoreWriter _writer;
    private readonly IReadOnlyList<JumpRule> _jumps;
    private readonly SortedDictionary<string, ServiceRules> _rules = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private HashSet<string> _changed = new(StringComparer.Ordinal);
    private HashSet<string> _appliedNatChains = new(StringComparer.Ordinal);
    private bool _needFull = true;
    private bool _seeded;
    private bool _endpointComments = true;
    private int _endpointChains;
    private long _lastFull;

    public ProxySyncer(ProxyOptions options, IptablesClient iptables, HostNetwork? host)
    {
        _options = options;
        _iptables = iptables;
        _host = host;
        _ruleWriter = new ServiceRuleWriter(options.Rules);
        _conntrack = new ConntrackCleaner(iptables.Runner, options.Log);
        _writer = new RestoreWriter(options.Rules);
        _jumps = JumpRule.For(options.Rules);
    }

    /// <summary>Number of services with rules.</summary>
    public int ServiceCount => _rules.Count;

    /// <summary>Marks the service <paramref name="key"/> ("namespace/name") for recomputation at the next sync.</summary>
    public void MarkChanged(string key)
    {
        lock (_lock)
        {
            _changed.Add(key);
        }
    }

    /// <summary>Makes the next sync a full one.</summary>
    public void RequestFullSync()
    {
        lock (_lock)
        {
            _needFull = true;
        }
    }

    /// <summary>Runs one sync from <paramref name="source"/>. Throws when iptables refuses it (the next sync is full).</summary>
    public async Task<SyncResult> SyncAsync(IProxySource source, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        HashSet<string> changed;
        bool full;
        lock (_lock)
        {
            changed = _changed;
            _changed = new HashSet<string>(StringComparer.Ordinal);
            full = _needFull || _options.Time.GetElapsedTime(_lastFull) >= _options.FullSyncPeriod;
            _needFull = false;
        }

        try
        {
            return await SyncCoreAsync(source, changed, full, started, cancellationToken);
        }
        catch
        {
            // The next sync is full (it rewrites every chain) and recomputes the changes taken here, which may not all
            // have reached _rules before the failure.
            lock (_lock)
            {
                _changed.UnionWith(changed);
                _needFull = true;
            }

            throw;
        }
    }

    private async Task<SyncResult> SyncCoreAsync(IProxySource source, HashSet<string> changed, bool full, long started, CancellationToken cancellationToken)
    {
        // The first sync knows nothing of what the rules were before this process: no conntrack entry is stale for it.
        var staleUdp = _seeded ? new List<string[]>() : null;
        if (!_seeded)
        {
            changed.UnionWith(source.ServiceKeys());
            _seeded = true;
            // Guess the large-cluster mode from the slices, so that the first sync rarely computes everything twice.
            long endpoints = 0;
            foreach (var key in changed)
            {
                foreach (var slice in source.SlicesOf(key))
                {
                    endpoints += (long)(slice.Endpoints?.Count ?? 0) * Math.Max(1, slice.Ports?.Count ?? 0);
                }
            }

            _endpointComments = endpoints <= RuleGenerator.LargeClusterEndpoints;
        }

        foreach (var key in changed)
        {
            Recompute(source, key, staleUdp);
        }

        // A sync with nothing to do is the periodic one: it checks that our hooks are still there (a firewall reload or
        // an `iptables -F` removes them; kube-proxy watches canary chains for the same reason) and heals with a full sync.
        if (!full && changed.Count == 0 && !await JumpsInPlaceAsync(cancellationToken))
        {
            _options.Log("proxy: jump rules into our chains are missing (were the tables flushed?): syncing everything");
            full = true;
        }

        // kube-proxy's large-cluster mode: past 1,000 endpoint chains the per-endpoint comments go, for every service.
        var comments = _endpointChains <= RuleGenerator.LargeClusterEndpoints;
        if (comments != _endpointComments)
        {
            _endpointComments = comments;
            foreach (var key in _rules.Keys.ToList())
            {
                Recompute(source, key, staleUdp);
            }

            full = true;
        }

        IptablesSnapshot? snapshot = null;
        if (full)
        {
            if (_host is not null && _options.GuardBridge is { } bridge && _options.ServiceCidr is { } serviceCidr)
            {
                try
                {
                    await _host.EnsureGuardAsync(bridge, serviceCidr, cancellationToken);
                }
                catch (CommandFailedException e)
                {
                    // The rules matter more than the guard: without it, only unassigned cluster IPs misbehave.
                    _options.Log($"proxy: the guard route for {serviceCidr} could not be set up: {e.Message}");
                }
            }

            snapshot = await _iptables.SaveAsync(_options.ChainPrefix, cancellationToken);
        }

        var active = new HashSet<string>(_writer.TopChains("nat"), StringComparer.Ordinal);
        foreach (var rules in _rules.Values)
        {
            active.UnionWith(rules.NatChains);
        }

        var staleNat = (snapshot?.Chains("nat") ?? _appliedNatChains).Where(c => !active.Contains(c)).ToList();
        var filterTop = _writer.TopChains("filter");
        var staleFilter = snapshot is null ? [] : snapshot.Chains("filter").Where(c => !filterTop.Contains(c)).ToList();
        var input = new RestoreInput
        {
            Services = _rules.Values,
            RewriteChainsOf = full ? null : changed,
            InsertJumps = snapshot is null ? [] : MissingJumps(snapshot),
            DeleteRules = snapshot is null ? [] : UnwantedJumps(snapshot),
            StaleChains = new Dictionary<string, IReadOnlyCollection<string>> { ["nat"] = staleNat, ["filter"] = staleFilter },
        };
        var text = _writer.Write(input);
        var generated = Stopwatch.GetTimestamp();
        await _iptables.RestoreAsync(text, cancellationToken);
        var applied = Stopwatch.GetTimestamp();

        _appliedNatChains = active;
        // After the restore: from now on no new flow reaches the old endpoints, so what is removed stays removed.
        await _conntrack.RunAsync(staleUdp ?? [], cancellationToken);
        if (full)
        {
            _lastFull = _options.Time.GetTimestamp();
        }

        var rewritten = full ? _rules.Values : _rules.Values.Where(r => changed.Contains(r.Key));
        return new SyncResult(
            full,
            _rules.Count,
            full ? _rules.Count : changed.Count,
            rewritten.Sum(r => r.NatChains.Count),
            staleNat.Count + staleFilter.Count,
            text.Length,
            Stopwatch.GetElapsedTime(started, generated),
            Stopwatch.GetElapsedTime(generated, applied));
    }

    private void Recompute(IProxySource source, string key, List<string[]>? staleUdp)
    {
        if (_rules.Remove(key, out var old))
        {
            _endpointChains -= old.EndpointChainCount;
        }

        var service = source.Service(key);
        var ports = service is null ? [] : ServiceCompiler.Compile(service, source.SlicesOf(key), _options.NodeName);
        var udp = UdpServicePort.From(ports);
        _udp.Remove(key, out var udpBefore);
        staleUdp?.AddRange(UdpServicePort.StaleEntries(udpBefore ?? [], udp));
        if (udp.Count > 0)
        {
            _udp[key] = udp;
        }

        if (ports.Count == 0)
        {
            return;
        }

        var rules = _ruleWriter.Write(key, ports, _endpointComments);
        _rules[key] = rules;
        _endpointChains += rules.EndpointChainCount;
    }

    private async Task<bool> JumpsInPlaceAsync(CancellationToken cancellationToken)
    {
        foreach (var group in _jumps.GroupBy(j => (j.Table, j.Chain)))
        {
            var rules = (await _iptables.ListRulesAsync(group.Key.Table, group.Key.Chain, cancellationToken)).ToHashSet(StringComparer.Ordinal);
            if (group.Any(j => !rules.Contains(j.SaveLine)))
            {
                return false;
            }
        }

        return true;
    }

    private List<JumpRule> MissingJumps(IptablesSnapshot snapshot)
    {
        var present = new HashSet<(string, string)>();
        foreach (var table in new[] { "nat", "filter" })
        {
            foreach (var line in snapshot.Jumps(table))
            {
                present.Add((table, line));
            }
        }

        return [.. _jumps.Where(j => !present.Contains((j.Table, j.SaveLine)))];
    }

    private List<(string Table, string SaveLine)> UnwantedJumps(IptablesSnapshot snapshot)
    {
        var wanted = _jumps.Select(j => (j.Table, j.SaveLine)).ToHashSet();
        var result = new List<(string, string)>();
        foreach (var table in new[] { "nat", "filter" })
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var line in snapshot.Jumps(table))
            {
                // Duplicates of a wanted jump go too: exactly one of each stays.
                if (!wanted.Contains((table, line)) || !seen.Add(line))
                {
                    result.Add((table, line));
                }
            }
        }

        return result;
    }
}
