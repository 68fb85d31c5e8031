namespace Korral.Scheduler.Framework;

/// <summary>
/// What one scheduling cycle sees: a consistent copy of every node with its pods. Nodes are listed zone by zone in turn
/// (upstream's node tree) so that a cycle which looks at only part of the nodes still sees every zone.
/// </summary>
public sealed class Snapshot
{
    private readonly Dictionary<string, NodeInfo> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _position = new(StringComparer.Ordinal);
    private List<NodeInfo> _ordered = [];

    public Snapshot()
    {
    }

    /// <summary>A snapshot of the given nodes, in the given order (tests and preemption simulations).</summary>
    public Snapshot(IEnumerable<NodeInfo> nodes)
    {
        foreach (var node in nodes)
        {
            _byName[node.Name] = node;
        }

        Rebuild(_byName.Values.ToList());
    }

    /// <summary>Nodes that have a Node object, in scheduling order.</summary>
    public IReadOnlyList<NodeInfo> Nodes { get; private set; } = [];

    /// <summary>Nodes with at least one pod that has (anti-)affinity terms.</summary>
    public IReadOnlyList<NodeInfo> NodesWithAffinityPods { get; private set; } = [];

    /// <summary>Nodes with at least one pod that has required anti-affinity terms.</summary>
    public IReadOnlyList<NodeInfo> NodesWithRequiredAntiAffinityPods { get; private set; } = [];

    /// <summary>The cache generation this snapshot reflects.</summary>
    public long Generation { get; internal set; }

    public NodeInfo? Get(string name) => _byName.GetValueOrDefault(name);

    internal Dictionary<string, NodeInfo> ByName => _byName;

    /// <summary>Puts a fresh copy of a node where its old copy was in the ordered list.</summary>
    internal void Replace(NodeInfo old, NodeInfo copy)
    {
        if (_position.TryGetValue(old.Name, out var i) && i < _ordered.Count && ReferenceEquals(_ordered[i], old))
        {
            _ordered[i] = copy;
        }
    }

    /// <summary>Rebuilds the ordered lists from <paramref name="ordered"/> (nodes with a Node object only).</summary>
    internal void Rebuild(List<NodeInfo> ordered)
    {
        _ordered = ordered;
        Nodes = ordered;
        _position.Clear();
        for (var i = 0; i < ordered.Count; i++)
        {
            _position[ordered[i].Name] = i;
        }

        RebuildAffinityLists();
    }

    internal void RebuildAffinityLists()
    {
        var withAffinity = new List<NodeInfo>();
        var withAnti = new List<NodeInfo>();
        foreach (var node in Nodes)
        {
            if (node.PodsWithAffinity.Count > 0)
            {
                withAffinity.Add(node);
            }

            if (node.PodsWithRequiredAntiAffinity.Count > 0)
            {
                withAnti.Add(node);
            }
        }

        NodesWithAffinityPods = withAffinity;
        NodesWithRequiredAntiAffinityPods = withAnti;
    }
}
