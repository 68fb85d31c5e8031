using Korral.Api.Models.CoreV1;
using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Cache;

/// <summary>
/// The scheduler's view of nodes and of the pods placed on them, bound (from the informer) or assumed (chosen by this
/// scheduler, binding in flight). Assuming a pod counts its resources at once, so the next cycle does not give the same
/// room away while the binding call is on its way; the informer's bound pod later confirms it, a failed binding forgets it.
/// Each change marks its node dirty; <see cref="UpdateSnapshot"/> copies only dirty nodes into the cycle's snapshot, so a
/// cycle costs what changed, not the size of the cluster. Thread-safe (one lock; informer handlers and the scheduling loop
/// call in).
/// </summary>
public sealed class SchedulerCache
{
    public const string ZoneLabel = "topology.kubernetes.io/zone";
    public const string RegionLabel = "topology.kubernetes.io/region";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, NodeInfo> _nodes = new(StringComparer.Ordinal);
    private readonly List<string> _nodeOrder = [];
    private readonly Dictionary<string, PodState> _pods = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private bool _structureChanged = true;
    private long _generation;

    private sealed class PodState(PodInfo pod, bool assumed)
    {
        public PodInfo Pod { get; set; } = pod;

        public bool Assumed { get; set; } = assumed;

        public bool BindingFinished { get; set; }
    }

    public int NodeCount
    {
        get
        {
            lock (_lock)
            {
                return _nodes.Values.Count(n => n.Node is not null);
            }
        }
    }

    public void AddNode(Node node) => UpdateNode(node);

    public void UpdateNode(Node node)
    {
        var name = node.Metadata?.Name ?? "";
        lock (_lock)
        {
            if (!_nodes.TryGetValue(name, out var info))
            {
                _nodes[name] = info = new NodeInfo(name);
                _nodeOrder.Add(name);
                _structureChanged = true;
            }
            else if (info.Node is null || ZoneOf(info.Labels) != ZoneOf(node.Metadata?.Labels))
            {
                _structureChanged = true;
            }

            info.SetNode(node);
            TouchLocked(info);
        }
    }

    public void RemoveNode(string name)
    {
        lock (_lock)
        {
            if (!_nodes.TryGetValue(name, out var info))
            {
                return;
            }

            // Pods may still name the node (their deletion is on its way); keep the entry until they are gone.
            info.RemoveNode();
            if (info.Pods.Count == 0)
            {
                _nodes.Remove(name);
                _nodeOrder.Remove(name);
            }

            _structureChanged = true;
            TouchLocked(info);
        }
    }

    /// <summary>Counts the pod on its chosen node before it is bound (<see cref="PodInfo.NodeName"/> set).</summary>
    public void AssumePod(PodInfo pod)
    {
        lock (_lock)
        {
            if (_pods.ContainsKey(pod.Uid))
            {
                throw new InvalidOperationException($"pod {pod.Key} ({pod.Uid}) is already in the scheduler cache");
            }

            _pods[pod.Uid] = new PodState(pod, assumed: true);
            AddToNodeLocked(pod);
        }
    }

    /// <summary>The binding call returned; the assumed pod waits for the informer to confirm it.</summary>
    public void FinishBinding(string uid)
    {
        lock (_lock)
        {
            if (_pods.TryGetValue(uid, out var state) && state.Assumed)
            {
                state.BindingFinished = true;
            }
        }
    }

    /// <summary>Drops an assumed pod whose binding failed.</summary>
    public void ForgetPod(string uid)
    {
        lock (_lock)
        {
            if (_pods.TryGetValue(uid, out var state) && state.Assumed)
            {
                _pods.Remove(uid);
                RemoveFromNodeLocked(state.Pod);
            }
        }
    }

    public bool IsAssumed(string uid)
    {
        lock (_lock)
        {
            return _pods.TryGetValue(uid, out var s) && s.Assumed;
        }
    }

    /// <summary>Whether the cache holds the pod at all (assumed or bound).</summary>
    public bool Contains(string uid)
    {
        lock (_lock)
        {
            return _pods.ContainsKey(uid);
        }
    }

    /// <summary>A bound pod seen by the informer (confirms an assumed one, possibly on another node).</summary>
    public void AddPod(PodInfo pod)
    {
        lock (_lock)
        {
            if (_pods.TryGetValue(pod.Uid, out var state))
            {
                RemoveFromNodeLocked(state.Pod);
                state.Pod = pod;
                state.Assumed = false;
            }
            else
            {
                _pods[pod.Uid] = new PodState(pod, assumed: false);
            }

            AddToNodeLocked(pod);
        }
    }

    public void UpdatePod(PodInfo pod) => AddPod(pod);

    public void RemovePod(string uid)
    {
        lock (_lock)
        {
            if (_pods.Remove(uid, out var state))
            {
                RemoveFromNodeLocked(state.Pod);
            }
        }
    }

    /// <summary>Brings <paramref name="snapshot"/> up to date: copies dirty nodes, reorders when nodes came, went or moved zone.</summary>
    public void UpdateSnapshot(Snapshot snapshot)
    {
        lock (_lock)
        {
            if (snapshot.Generation == _generation && !_structureChanged)
            {
                return;
            }

            var affinityChanged = false;
            foreach (var name in _dirty)
            {
                var old = snapshot.ByName.GetValueOrDefault(name);
                if (_nodes.TryGetValue(name, out var live) && live.Node is not null)
                {
                    var copy = live.Clone();
                    affinityChanged |= copy.PodsWithAffinity.Count > 0 || (old?.PodsWithAffinity.Count ?? 0) > 0;
                    snapshot.ByName[name] = copy;
                    if (!_structureChanged && old is not null)
                    {
                        snapshot.Replace(old, copy);
                    }
                    else
                    {
                        _structureChanged = true;
                    }
                }
                else if (old is not null)
                {
                    snapshot.ByName.Remove(name);
                    _structureChanged = true;
                }
            }

            _dirty.Clear();
            if (_structureChanged)
            {
                snapshot.Rebuild(InterleaveZonesLocked(snapshot));
                _structureChanged = false;
            }
            else if (affinityChanged)
            {
                snapshot.RebuildAffinityLists();
            }

            snapshot.Generation = _generation;
        }
    }

    /// <summary>Upstream's node tree: nodes grouped by zone, listed one zone after another in turn.</summary>
    private List<NodeInfo> InterleaveZonesLocked(Snapshot snapshot)
    {
        var zones = new List<List<NodeInfo>>();
        var zoneIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in _nodeOrder)
        {
            if (snapshot.ByName.TryGetValue(name, out var node))
            {
                var zone = ZoneOf(node.Labels);
                if (!zoneIndex.TryGetValue(zone, out var i))
                {
                    zoneIndex[zone] = i = zones.Count;
                    zones.Add([]);
                }

                zones[i].Add(node);
            }
        }

        if (zones.Count == 1)
        {
            return zones[0];
        }

        var ordered = new List<NodeInfo>(snapshot.ByName.Count);
        for (var round = 0; ordered.Count < snapshot.ByName.Count; round++)
        {
            var added = false;
            foreach (var zone in zones)
            {
                if (round < zone.Count)
                {
                    ordered.Add(zone[round]);
                    added = true;
                }
            }

            if (!added)
            {
                break;
            }
        }

        return ordered;
    }

    private static string ZoneOf(IEnumerable<KeyValuePair<string, string>>? labels)
    {
        string? region = null, zone = null;
        foreach (var (key, value) in labels ?? [])
        {
            if (key == RegionLabel)
            {
                region = value;
            }
            else if (key == ZoneLabel)
            {
                zone = value;
            }
        }

        return region is null && zone is null ? "" : $"{region}:\0:{zone}";
    }

    private void AddToNodeLocked(PodInfo pod)
    {
        if (!_nodes.TryGetValue(pod.NodeName, out var node))
        {
            // A pod can arrive before its node; the entry waits for the Node object and stays out of snapshots.
            _nodes[pod.NodeName] = node = new NodeInfo(pod.NodeName);
            _nodeOrder.Add(pod.NodeName);
        }

        node.AddPod(pod);
        TouchLocked(node);
    }

    private void RemoveFromNodeLocked(PodInfo pod)
    {
        if (_nodes.TryGetValue(pod.NodeName, out var node))
        {
            node.RemovePod(pod);
            if (node.Node is null && node.Pods.Count == 0)
            {
                _nodes.Remove(pod.NodeName);
                _nodeOrder.Remove(pod.NodeName);
                _structureChanged = true;
            }

            TouchLocked(node);
        }
    }

    private void TouchLocked(NodeInfo node)
    {
        node.Generation = ++_generation;
        _dirty.Add(node.Name);
    }
}
