using Korral.Api.Models.CoreV1;

namespace Korral.Controllers.NodeLifecycle;

/// <summary>
/// Zone health (upstream's handleDisruption): per zone, how many nodes are Ready; the zone's state sets how fast its
/// nodes get NoExecute taints, and when every zone is fully disrupted the controller assumes the problem is on its own
/// side (the control plane lost the nodes, not the other way round) and stops tainting and removes the taints.
/// </summary>
public sealed partial class NodeLifecycleController
{
    private readonly Dictionary<string, (string Zone, bool Ready)> _zoneMembers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Ready, int NotReady)> _zoneCounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ZoneState> _zoneStates = new(StringComparer.Ordinal);
    private HashSet<string>? _initialPending;

    /// <summary>What a change of zone health asks of the nodes.</summary>
    private enum DisruptionAction
    {
        None,

        /// <summary>Every zone just became fully disrupted: remove every NoExecute not-ready/unreachable taint.</summary>
        EnterFullDisruption,

        /// <summary>Some node is Ready again after full disruption: give every node a fresh grace period.</summary>
        ExitFullDisruption,
    }

    /// <summary>The current state of each zone (for tests and logs).</summary>
    public IReadOnlyDictionary<string, ZoneState> ZoneStates
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<string, ZoneState>(_zoneStates, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Records the node's zone and readiness (null node: deleted) and re-evaluates zone health if they changed.</summary>
    private DisruptionAction ObserveZone(string name, Node? node, NodeCondition? currentReady)
    {
        lock (_lock)
        {
            var changed = false;
            var had = _zoneMembers.TryGetValue(name, out var old);
            if (node is null || Zones.IsExcluded(node))
            {
                if (had)
                {
                    Count(old, -1);
                    _zoneMembers.Remove(name);
                    changed = true;
                }
            }
            else
            {
                // A node without a Ready condition counts as not Ready, as upstream.
                var member = (Zones.KeyOf(node), currentReady?.Status == "True");
                if (!had || old != member)
                {
                    if (had)
                    {
                        Count(old, -1);
                    }

                    Count(member, +1);
                    _zoneMembers[name] = member;
                    changed = true;
                }
            }

            if (_initialPending is not null)
            {
                _initialPending.Remove(name);
                if (_initialPending.Count > 0)
                {
                    return DisruptionAction.None;
                }

                _initialPending = null;
                changed = true;
            }

            return changed ? EvaluateDisruption() : DisruptionAction.None;
        }
    }

    // Under _lock.
    private void Count((string Zone, bool Ready) member, int delta)
    {
        var (ready, notReady) = _zoneCounts.GetValueOrDefault(member.Zone);
        if (member.Ready)
        {
            ready += delta;
        }
        else
        {
            notReady += delta;
        }

        if (ready + notReady == 0)
        {
            _zoneCounts.Remove(member.Zone);
        }
        else
        {
            _zoneCounts[member.Zone] = (ready, notReady);
        }
    }

    // Under _lock.
    private DisruptionAction EvaluateDisruption()
    {
        var newStates = new Dictionary<string, ZoneState>(StringComparer.Ordinal);
        var allAreFullyDisrupted = true;
        foreach (var (zone, (ready, notReady)) in _zoneCounts)
        {
            var state = Zones.Compute(ready, notReady, Options.UnhealthyZoneThreshold);
            allAreFullyDisrupted &= state == ZoneState.FullDisruption;
            newStates[zone] = state;
            _zoneStates.TryAdd(zone, ZoneState.Initial);
        }

        foreach (var zone in _zoneStates.Keys.Where(z => !_zoneCounts.ContainsKey(z)).ToList())
        {
            _zoneStates.Remove(zone);
        }

        var allWereFullyDisrupted = _zoneStates.Values.All(s => s == ZoneState.FullDisruption);
        if (allAreFullyDisrupted && allWereFullyDisrupted)
        {
            return DisruptionAction.None;
        }

        var now = _time.GetUtcNow();
        if (allAreFullyDisrupted)
        {
            _log($"{ControllerName}: no node is Ready in any zone: entering master disruption mode (no NoExecute taints until a node is Ready again)");
            foreach (var zone in _zoneStates.Keys.ToList())
            {
                TainterFor(zone, now).SwapLimiter(0, now);
                _zoneStates[zone] = ZoneState.FullDisruption;
            }

            return DisruptionAction.EnterFullDisruption;
        }

        if (allWereFullyDisrupted)
        {
            _log($"{ControllerName}: some nodes are Ready again: leaving master disruption mode");
            foreach (var zone in _zoneStates.Keys.ToList())
            {
                SetLimiter(zone, newStates[zone], now);
            }

            return DisruptionAction.ExitFullDisruption;
        }

        foreach (var (zone, state) in _zoneStates.ToList())
        {
            if (state != newStates[zone])
            {
                _log($"{ControllerName}: zone \"{ZoneName(zone)}\" is now {newStates[zone]}");
                SetLimiter(zone, newStates[zone], now);
            }
        }

        return DisruptionAction.None;
    }

    // Under _lock.
    private void SetLimiter(string zone, ZoneState state, DateTimeOffset now)
    {
        var size = _zoneCounts.TryGetValue(zone, out var c) ? c.Ready + c.NotReady : 0;
        var qps = state switch
        {
            // A partially disrupted zone is more likely cut off than broken: taint slowly, and in small zones not at all.
            ZoneState.PartialDisruption => size > Options.LargeClusterSizeThreshold ? Options.SecondaryNodeEvictionRate : 0,
            _ => Options.NodeEvictionRate,
        };
        TainterFor(zone, now).SwapLimiter(qps, now);
        _zoneStates[zone] = state;
        WakeTainter();
    }

    private async Task RunDisruptionActionAsync(DisruptionAction action, CancellationToken cancellationToken)
    {
        switch (action)
        {
            case DisruptionAction.EnterFullDisruption:
                foreach (var node in _nodes.List())
                {
                    await MarkNodeAsReachableAsync(node, cancellationToken);
                }

                break;
            case DisruptionAction.ExitFullDisruption:
                var now = _time.GetUtcNow();
                lock (_lock)
                {
                    foreach (var name in _health.Keys.ToList())
                    {
                        _health[name] = _health[name] with { ProbeTimestamp = now, ReadyTransitionTimestamp = now };
                    }
                }

                // Each node's deadline moves: sync them all so that the new ones are armed.
                foreach (var node in _nodes.List())
                {
                    Queue.Add(node.Metadata?.Name ?? "");
                }

                break;
        }
    }

    private static string ZoneName(string key) => key.Replace(":\0:", ":", StringComparison.Ordinal);
}
