using Korral.Api.Selectors;

namespace Korral.Client.Informers;

/// <summary>
/// The thread-safe local cache of an informer: objects keyed by "namespace/name" (<see cref="ObjectKey"/>), plus named
/// indices (value → keys) kept up to date on every change, so that "pods of node n" or "pods owned by uid u" costs the
/// size of the answer, not of the cache. Always has the <see cref="Indexers.Namespace"/> index.
/// </summary>
/// <remarks>
/// The objects are shared with every reader and with the event handlers: never change one; copy it first
/// (<see cref="KubeObject.Clone{T}"/>). The mutating methods are public so that controller tests can seed a cache
/// without a server; in production only the informer writes.
/// </remarks>
public sealed class Indexer<T>
    where T : class
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, T> _items = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Index> _indices = new(StringComparer.Ordinal);

    public Indexer()
    {
        AddIndex(Indexers.Namespace, Indexers.ByNamespace);
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _items.Count;
            }
        }
    }

    /// <summary>Adds an index (and indexes what is already cached). Names are unique.</summary>
    public void AddIndex(string name, IndexFunc<T> function)
    {
        lock (_lock)
        {
            if (_indices.ContainsKey(name))
            {
                throw new InvalidOperationException($"the indexer already has an index named \"{name}\"");
            }

            var index = new Index(function);
            foreach (var (key, obj) in _items)
            {
                index.Add(key, obj);
            }

            _indices.Add(name, index);
        }
    }

    public bool HasIndex(string name)
    {
        lock (_lock)
        {
            return _indices.ContainsKey(name);
        }
    }

    public T? Get(string key)
    {
        lock (_lock)
        {
            return _items.GetValueOrDefault(key);
        }
    }

    public T? Get(string? ns, string name) => Get(ObjectKey.Of(ns, name));

    /// <summary>Every cached object, in no particular order.</summary>
    public List<T> List()
    {
        lock (_lock)
        {
            return [.. _items.Values];
        }
    }

    public List<string> ListKeys()
    {
        lock (_lock)
        {
            return [.. _items.Keys];
        }
    }

    /// <summary>The objects indexed under <paramref name="value"/> by index <paramref name="indexName"/>.</summary>
    public List<T> ByIndex(string indexName, string value)
    {
        lock (_lock)
        {
            var keys = IndexOf(indexName).Keys(value);
            var result = new List<T>(keys?.Count ?? 0);
            if (keys is not null)
            {
                foreach (var key in keys)
                {
                    result.Add(_items[key]);
                }
            }

            return result;
        }
    }

    public List<string> IndexKeys(string indexName, string value)
    {
        lock (_lock)
        {
            return IndexOf(indexName).Keys(value) is { } keys ? [.. keys] : [];
        }
    }

    /// <summary>The values index <paramref name="indexName"/> holds objects under.</summary>
    public List<string> IndexValues(string indexName)
    {
        lock (_lock)
        {
            return IndexOf(indexName).Values();
        }
    }

    /// <summary>The objects matching <paramref name="selector"/>, in one namespace (null: all).</summary>
    public List<T> List(string? ns, LabelSelector selector)
    {
        var candidates = ns is null ? List() : ByIndex(Indexers.Namespace, ns);
        if (selector.Empty)
        {
            return candidates;
        }

        candidates.RemoveAll(o => !selector.Matches(LabelsOf(o)));
        return candidates;
    }

    /// <summary>Adds or replaces the object under its key; returns the object it replaced, if any.</summary>
    public T? Upsert(T obj)
    {
        var key = KubeObject.Key(obj);
        lock (_lock)
        {
            return UpsertLocked(key, obj);
        }
    }

    /// <summary>Removes the object with this key; returns it, or null if it was not cached.</summary>
    public T? Remove(string key)
    {
        lock (_lock)
        {
            return RemoveLocked(key);
        }
    }

    /// <summary>
    /// Replaces the whole content with <paramref name="items"/> (a fresh list) in one step (readers see the old or the new
    /// content) and reports what changed: added, updated (resourceVersion changed) and removed objects. O(n).
    /// </summary>
    public ReplaceResult<T> Replace(IReadOnlyCollection<T> items)
    {
        var result = new ReplaceResult<T>();
        var keyed = new List<(string Key, T Obj)>(items.Count);
        var seen = new HashSet<string>(items.Count, StringComparer.Ordinal);
        foreach (var obj in items)
        {
            var key = KubeObject.Key(obj);
            keyed.Add((key, obj));
            seen.Add(key);
        }

        lock (_lock)
        {
            foreach (var (key, obj) in keyed)
            {
                var old = UpsertLocked(key, obj);
                if (old is null)
                {
                    result.Added.Add(obj);
                }
                else if (KubeObject.ResourceVersion(old) != KubeObject.ResourceVersion(obj))
                {
                    result.Updated.Add((old, obj));
                }
            }

            if (_items.Count > seen.Count)
            {
                foreach (var key in _items.Keys.Where(k => !seen.Contains(k)).ToList())
                {
                    result.Removed.Add(RemoveLocked(key)!);
                }
            }
        }

        return result;
    }

    private T? UpsertLocked(string key, T obj)
    {
        _items.TryGetValue(key, out var old);
        _items[key] = obj;
        foreach (var index in _indices.Values)
        {
            if (old is not null)
            {
                index.Remove(key, old);
            }

            index.Add(key, obj);
        }

        return old;
    }

    private T? RemoveLocked(string key)
    {
        if (!_items.Remove(key, out var old))
        {
            return null;
        }

        foreach (var index in _indices.Values)
        {
            index.Remove(key, old);
        }

        return old;
    }

    private static IReadOnlyDictionary<string, string>? LabelsOf(T obj) => KubeModel<T>.Metadata(obj)?.Labels switch
    {
        null => null,
        IReadOnlyDictionary<string, string> d => d,
        var other => new Dictionary<string, string>(other),
    };

    private Index IndexOf(string name) =>
        _indices.TryGetValue(name, out var index) ? index : throw new KeyNotFoundException($"the indexer has no index named \"{name}\"");

    private sealed class Index(IndexFunc<T> function)
    {
        private readonly Dictionary<string, HashSet<string>> _byValue = new(StringComparer.Ordinal);

        public HashSet<string>? Keys(string value) => _byValue.GetValueOrDefault(value);

        public List<string> Values() => [.. _byValue.Keys];

        public void Add(string key, T obj)
        {
            foreach (var value in function(obj))
            {
                if (!_byValue.TryGetValue(value, out var keys))
                {
                    keys = new HashSet<string>(StringComparer.Ordinal);
                    _byValue[value] = keys;
                }

                keys.Add(key);
            }
        }

        public void Remove(string key, T obj)
        {
            foreach (var value in function(obj))
            {
                if (_byValue.TryGetValue(value, out var keys) && keys.Remove(key) && keys.Count == 0)
                {
                    _byValue.Remove(value);
                }
            }
        }
    }
}

/// <summary>What <see cref="Indexer{T}.Replace"/> changed.</summary>
public sealed class ReplaceResult<T>
{
    public List<T> Added { get; } = [];

    public List<(T Old, T New)> Updated { get; } = [];

    public List<T> Removed { get; } = [];
}
