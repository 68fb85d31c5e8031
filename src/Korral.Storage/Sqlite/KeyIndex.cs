using Korral.Storage.Contract;

namespace Korral.Storage.Sqlite;

/// <summary>
/// The newest value of every live key, in ordinal key order so that prefix ranges are a tree walk.
/// Not thread-safe: the store mutates it on its writer thread under its state lock, and reads it under the same lock
/// (or on the writer thread, the only mutator).
/// </summary>
internal sealed class KeyIndex
{
    private readonly SortedSet<string> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KeyValue> _values = new(StringComparer.Ordinal);

    public int Count => _values.Count;

    public IEnumerable<KeyValue> All => _values.Values;

    public KeyValue? Get(string key) => _values.GetValueOrDefault(key);

    public void Set(KeyValue kv)
    {
        if (_values.TryAdd(kv.Key, kv))
        {
            _keys.Add(kv.Key);
        }
        else
        {
            _values[kv.Key] = kv;
        }
    }

    public void Remove(string key)
    {
        if (_values.Remove(key))
        {
            _keys.Remove(key);
        }
    }

    /// <summary>The live keys of <paramref name="span"/> in ordinal order.</summary>
    public IEnumerable<KeyValue> Range(KeySpan span)
    {
        if (span.IsSingle)
        {
            if (_values.TryGetValue(span.Key, out var single))
            {
                yield return single;
            }

            yield break;
        }

        if (_keys.Count == 0 || span.IsEmpty)
        {
            yield break;
        }

        // GetViewBetween is inclusive at both ends and throws when lower > upper: clamp the upper bound.
        var upper = span.IsOpenEnded ? _keys.Max! : span.End!;
        if (string.CompareOrdinal(span.Key, upper) > 0)
        {
            yield break;
        }

        foreach (var key in _keys.GetViewBetween(span.Key, upper))
        {
            if (!span.IsOpenEnded && string.CompareOrdinal(key, span.End) >= 0)
            {
                yield break;
            }

            yield return _values[key];
        }
    }
}
