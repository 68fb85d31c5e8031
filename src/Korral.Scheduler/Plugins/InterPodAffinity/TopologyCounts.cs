using System.Runtime.InteropServices;

namespace Korral.Scheduler.Plugins.InterPodAffinity;

/// <summary>
/// How many matching pods (or matching terms) each topology domain holds (upstream's topologyToMatchedTermCount), by
/// topology key and then label value. Entries that drop to zero are removed, so <see cref="Count"/> is the number of
/// domains with a match. Ordinal string dictionaries, not a pair key: they hash without randomization, which matters
/// for Filter's lookups on every node.
/// </summary>
internal sealed class TopologyCounts
{
    private readonly Dictionary<string, Dictionary<string, long>> _byKey;

    public TopologyCounts() => _byKey = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);

    private TopologyCounts(TopologyCounts other)
    {
        _byKey = new Dictionary<string, Dictionary<string, long>>(other._byKey.Count, StringComparer.Ordinal);
        foreach (var (key, values) in other._byKey)
        {
            _byKey[key] = new Dictionary<string, long>(values, StringComparer.Ordinal);
        }

        Count = other.Count;
    }

    /// <summary>Domains with a non-zero count.</summary>
    public int Count { get; private set; }

    public long this[string key, string value] =>
        _byKey.TryGetValue(key, out var values) ? values.GetValueOrDefault(value) : 0;

    /// <summary>Adds <paramref name="delta"/> to the domain of <paramref name="key"/> on a node; nodes without the key have no domain.</summary>
    public void Add(IReadOnlyDictionary<string, string> nodeLabels, string key, long delta)
    {
        if (!nodeLabels.TryGetValue(key, out var value))
        {
            return;
        }

        if (!_byKey.TryGetValue(key, out var values))
        {
            values = new Dictionary<string, long>(StringComparer.Ordinal);
            _byKey[key] = values;
        }

        ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(values, value, out var existed);
        count += delta;
        if (count == 0)
        {
            // Counts go down and back up in preemption what-ifs; an empty domain must not stay as an entry.
            values.Remove(value);
            Count -= existed ? 1 : 0;
        }
        else if (!existed)
        {
            Count++;
        }
    }

    /// <summary>Whether any domain the node belongs to has a positive count: one lookup per topology key counted.</summary>
    public bool AnyPositiveOn(IReadOnlyDictionary<string, string> nodeLabels)
    {
        if (Count == 0)
        {
            return false;
        }

        foreach (var (key, values) in _byKey)
        {
            if (nodeLabels.TryGetValue(key, out var value) && values.GetValueOrDefault(value) > 0)
            {
                return true;
            }
        }

        return false;
    }

    public TopologyCounts Clone() => new(this);
}
