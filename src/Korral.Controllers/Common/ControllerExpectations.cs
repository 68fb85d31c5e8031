namespace Korral.Controllers.Common;

/// <summary>
/// What a controller is waiting to see in its informer caches after it created or deleted objects (upstream's
/// UIDTrackingControllerExpectations): until the cache has caught up, the controller must not act again, or a stale
/// cache would make it create or delete twice. Expectations expire after <see cref="Timeout"/> so that a lost watch
/// event cannot wedge a controller.
/// </summary>
public sealed class ControllerExpectations(TimeProvider time)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    private readonly Dictionary<string, Entry> _entries = [];
    private readonly object _lock = new();

    /// <summary>True when the controller may act on <paramref name="key"/>: nothing pending, or what was pending expired.</summary>
    public bool Satisfied(string key)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var e))
            {
                return true;
            }

            return (e.Adds <= 0 && e.Deletes.Count == 0) || time.GetUtcNow() - e.Set > Timeout;
        }
    }

    public void ExpectCreations(string key, int count) => Set(key, count, []);

    public void ExpectDeletions(string key, IEnumerable<string> podKeys) => Set(key, 0, [.. podKeys]);

    /// <summary>A create was seen in the cache (or will never happen because it failed or was skipped).</summary>
    public void CreationObserved(string key)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var e))
            {
                e.Adds--;
            }
        }
    }

    /// <summary>The deletion of <paramref name="podKey"/> was seen (or failed): counted once per pod.</summary>
    public void DeletionObserved(string key, string podKey)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var e))
            {
                e.Deletes.Remove(podKey);
            }
        }
    }

    public void Delete(string key)
    {
        lock (_lock)
        {
            _entries.Remove(key);
        }
    }

    public (int Adds, int Deletes)? Get(string key)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(key, out var e) ? (e.Adds, e.Deletes.Count) : null;
        }
    }

    private void Set(string key, int adds, HashSet<string> deletes)
    {
        lock (_lock)
        {
            _entries[key] = new Entry { Adds = adds, Deletes = deletes, Set = time.GetUtcNow() };
        }
    }

    private sealed class Entry
    {
        public int Adds;
        public HashSet<string> Deletes = [];
        public DateTimeOffset Set;
    }
}
