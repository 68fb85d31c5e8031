namespace Korral.ApiServer.WatchCache;

/// <summary>
/// The watch cache of one storage prefix: every current object and a window of recent events, kept up to date by the
/// <see cref="WatchCacheSet"/> from a single store watch. LIST, GET and WATCH are served from it.
/// </summary>
public sealed class ResourceCache
{
    private readonly object _gate = new();
    private readonly Dictionary<string, CachedObject> _items = new(StringComparer.Ordinal);
    private readonly CacheEvent?[] _window;
    private readonly List<CacheWatcher> _watchers = [];
    private readonly int _watcherCapacity;
    private int _windowStart;
    private int _windowCount;

    private readonly Func<long> _globalRevision;
    private long _appliedRevision;

    public ResourceCache(string prefix, int windowSize, int watcherCapacity, Func<long> globalRevision)
    {
        Prefix = prefix;
        _globalRevision = globalRevision;
        _window = new CacheEvent?[windowSize];
        _watcherCapacity = watcherCapacity;
    }

    public string Prefix { get; }

    /// <summary>Events after this revision are all in the window; a watch from an older revision gets 410 Gone.</summary>
    public long OldestWatchableRevision { get; private set; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    /// <summary>Replaces the whole content after a (re)list at <paramref name="revision"/>; every watcher is closed.</summary>
    internal void Reset(IEnumerable<CachedObject> objects, long revision)
    {
        lock (_gate)
        {
            _items.Clear();
            foreach (var o in objects)
            {
                _items[o.Key] = o;
            }

            Array.Clear(_window);
            _windowStart = 0;
            _windowCount = 0;
            OldestWatchableRevision = revision;
            _appliedRevision = revision;
            foreach (var w in _watchers)
            {
                w.Close();
            }

            _watchers.Clear();
        }
    }

    /// <summary>Applies one change from the store, in revision order.</summary>
    internal void Apply(CacheEventType type, CachedObject obj)
    {
        lock (_gate)
        {
            var e = new CacheEvent(type, obj, _items.GetValueOrDefault(obj.Key));
            _appliedRevision = obj.ResourceVersion;
            if (e.Type == CacheEventType.Deleted)
            {
                _items.Remove(e.Object.Key);
            }
            else
            {
                _items[e.Object.Key] = e.Object;
            }

            if (_windowCount == _window.Length)
            {
                // The oldest event leaves the window: watches must now start after it.
                OldestWatchableRevision = _window[_windowStart]!.Revision;
                _windowStart = (_windowStart + 1) % _window.Length;
                _windowCount--;
            }

            _window[(_windowStart + _windowCount) % _window.Length] = e;
            _windowCount++;

            for (var i = _watchers.Count - 1; i >= 0; i--)
            {
                if (!_watchers[i].Offer(e))
                {
                    _watchers.RemoveAt(i);
                }
            }
        }
    }

    public CachedObject? Get(string key)
    {
        lock (_gate)
        {
            return _items.GetValueOrDefault(key);
        }
    }

    /// <summary>
    /// The matching objects, sorted by key (the order etcd lists in, which continue tokens rely on), and the revision
    /// the list reflects exactly: every change up to it and none after.
    /// </summary>
    public (List<CachedObject> Items, long Revision) List(WatchFilter filter, string? startAfterKey = null)
    {
        List<CachedObject> result;
        long revision;
        lock (_gate)
        {
            // Changes are applied to caches before the global revision moves past them, so whichever is newer is exact.
            revision = Math.Max(_globalRevision(), _appliedRevision);
            result = new List<CachedObject>(filter.Namespace.Length == 0 && filter.Predicate is null ? _items.Count : 16);
            foreach (var o in _items.Values)
            {
                if (filter.Matches(o) && (startAfterKey is null || string.CompareOrdinal(o.Key, startAfterKey) > 0))
                {
                    result.Add(o);
                }
            }
        }

        result.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return (result, revision);
    }

    /// <summary>
    /// Starts a watch for events after <paramref name="fromRevision"/>. Returns the backlog to send first, or null when
    /// that revision is older than the window (the caller answers 410 Gone).
    /// </summary>
    public (CacheWatcher Watcher, List<CacheEvent> Backlog)? Watch(WatchFilter filter, long fromRevision)
    {
        lock (_gate)
        {
            if (fromRevision < OldestWatchableRevision)
            {
                return null;
            }

            var backlog = new List<CacheEvent>();
            for (var i = 0; i < _windowCount; i++)
            {
                var e = _window[(_windowStart + i) % _window.Length]!;
                if (e.Revision > fromRevision)
                {
                    backlog.Add(e);
                }
            }

            var watcher = new CacheWatcher(filter, _watcherCapacity);
            _watchers.Add(watcher);
            return (watcher, backlog);
        }
    }

    /// <summary>Starts a watch at the current state: the current matching objects are returned to be sent as ADDED.</summary>
    public (CacheWatcher Watcher, List<CachedObject> Current) WatchFromNow(WatchFilter filter)
    {
        lock (_gate)
        {
            var current = new List<CachedObject>();
            foreach (var o in _items.Values)
            {
                if (filter.Matches(o))
                {
                    current.Add(o);
                }
            }

            var watcher = new CacheWatcher(filter, _watcherCapacity);
            _watchers.Add(watcher);
            return (watcher, current);
        }
    }

    public void StopWatch(CacheWatcher watcher)
    {
        lock (_gate)
        {
            _watchers.Remove(watcher);
        }

        watcher.Close();
    }

    public int WatcherCount
    {
        get
        {
            lock (_gate)
            {
                return _watchers.Count;
            }
        }
    }
}
