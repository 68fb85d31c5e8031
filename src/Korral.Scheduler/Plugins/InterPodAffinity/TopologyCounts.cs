using System.Runtime.InteropServices;

namespace Korral.Scheduler.Plugins.InterPodAffinity;

/// <summary>
/// How many matching pods (or matching terms) each topology domain holds (upstream's topologyToMatchedTermCount).
/// Entries that drop to zero are removed, so <see cref="Count"/> is the number of domains with a match. The topology keys
/// seen are kept in a short list so that a node is checked with one lookup per key instead of one per node label.
/// </summary>
internal sealed class TopologyCounts
{
    private readonly Dictionary<TopologyPair, long> _counts;
    private readonly List<string> _keys;

    public TopologyCounts()
    {
        _counts = [];
        _keys = [];
    }

    private TopologyCounts(TopologyCounts other)
    {
        _counts = new Dictionary<TopologyPair, long>(other._counts);
        _keys = [.. other._keys];
    }

    /// <summary>Domains with a non-zero count.</summary>
    public int Count => _counts.Count;

    public long this[string key, string value] => _counts.GetValueOrDefault(new TopologyPair(key, value));

    /// <summary>Adds <paramref name="delta"/> to the domain of <paramref name="key"/> on a node; nodes without the key have no domain.</summary>
    public void Add(IReadOnlyDictionary<string, string> nodeLabels, string key, long delta)
    {
        if (!nodeLabels.TryGetValue(key, out var value))
        {
            return;
        }

        var pair = new TopologyPair(key, value);
        ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(_counts, pair, out var existed);
        count += delta;
        if (count == 0)
        {
            // Counts go negative-then-back in preemption what-ifs; an empty domain must not stay as a key.
            _counts.Remove(pair);
        }
        else if (!existed && !_keys.Contains(key))
        {
            _keys.Add(key);
        }
    }

    /// <summary>Whether any domain the node belongs to has a positive count.</summary>
    public bool AnyPositiveOn(IReadOnlyDictionary<string, string> nodeLabels)
    {
        if (_counts.Count == 0)
        {
            return false;
        }

        foreach (var key in _keys)
        {
            if (nodeLabels.TryGetValue(key, out var value) && _counts.GetValueOrDefault(new TopologyPair(key, value)) > 0)
            {
                return true;
            }
        }

        return false;
    }

    public TopologyCounts Clone() => new(this);
}
