using Korral.Storage.Contract;

namespace Korral.Storage.Sqlite;

/// <summary>
/// The most recent committed events, in revision order, bounded by a number of events. It always holds whole revisions:
/// every event with revision ≥ <see cref="From"/> is present. Guarded by the store's state lock.
/// </summary>
internal sealed class EventWindow
{
    private readonly int _capacity;
    private WatchEvent[] _items;
    private int _head;
    private int _count;

    public EventWindow(int capacity, long currentRevision)
    {
        _capacity = capacity;
        _items = new WatchEvent[Math.Min(capacity, 1024)];
        From = currentRevision + 1;
    }

    /// <summary>The lowest revision whose events are all held (the current revision + 1 when empty).</summary>
    public long From { get; private set; }

    public int Count => _count;

    /// <summary>Appends the events of newly committed revisions (in order, all newer than what is held).</summary>
    public void Append(IReadOnlyList<WatchEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        if (events.Count > _capacity)
        {
            // One batch larger than the window: keep nothing; watchers starting there read SQLite.
            Array.Clear(_items);
            _head = 0;
            _count = 0;
            From = events[^1].Revision + 1;
            return;
        }

        while (_count > 0 && _count + events.Count > _capacity)
        {
            DropOldestRevision();
        }

        if (_count + events.Count > _items.Length)
        {
            Grow(Math.Min(_capacity, Math.Max(_items.Length * 2, _count + events.Count)));
        }

        foreach (var e in events)
        {
            _items[(_head + _count) % _items.Length] = e;
            _count++;
        }
    }

    /// <summary>Adds every held event with revision ≥ <paramref name="revision"/> whose key is in <paramref name="span"/>.</summary>
    public void CopyTo(long revision, KeySpan span, List<WatchEvent> into)
    {
        // Binary search for the first event at or above the revision.
        int lo = 0, hi = _count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (this[mid].Revision < revision)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        for (var i = lo; i < _count; i++)
        {
            var e = this[i];
            if (span.Contains(e.Kv.Key))
            {
                into.Add(e);
            }
        }
    }

    private WatchEvent this[int index] => _items[(_head + index) % _items.Length];

    private void DropOldestRevision()
    {
        var revision = _items[_head].Revision;
        while (_count > 0 && _items[_head].Revision == revision)
        {
            _items[_head] = null!;
            _head = (_head + 1) % _items.Length;
            _count--;
        }

        From = revision + 1;
    }

    private void Grow(int size)
    {
        var items = new WatchEvent[size];
        for (var i = 0; i < _count; i++)
        {
            items[i] = this[i];
        }

        _items = items;
        _head = 0;
    }
}
