using Korral.Storage.Contract;

namespace Korral.Storage.Sqlite;

// Leases: granted with an absolute expiry (persisted, so they survive restarts), attached to keys by puts. One timer is
// armed for the earliest expiry; when it fires the writer revokes every expired lease through the normal write path,
// so each revocation deletes its keys in one revision and watchers see Delete events.
public sealed partial class SqliteStore
{
    // Writer-thread state (also set up before the writer starts).
    private readonly Dictionary<long, LeaseState> _leases = [];
    private readonly Dictionary<long, HashSet<string>> _leaseKeys = [];
    private long _leaseSequence;
    private readonly ITimer _leaseTimer;
    private int _expiryQueued;

    private readonly record struct LeaseState(long TtlMs, long ExpiresAtMs);

    private HashSet<string> KeysOf(long lease)
    {
        if (!_leaseKeys.TryGetValue(lease, out var keys))
        {
            _leaseKeys[lease] = keys = new HashSet<string>(StringComparer.Ordinal);
        }

        return keys;
    }

    private void Reattach(string key, long from, long to)
    {
        if (from == to)
        {
            return;
        }

        if (from != 0 && _leaseKeys.TryGetValue(from, out var old))
        {
            old.Remove(key);
        }

        if (to != 0)
        {
            KeysOf(to).Add(key);
        }
    }

    private long ExecuteGrant(Batch batch, TimeSpan ttl)
    {
        var id = ++_leaseSequence;
        var ttlMs = Math.Max(1, (long)Math.Ceiling(ttl.TotalMilliseconds));
        var expiresAtMs = _time.GetUtcNow().ToUnixTimeMilliseconds() + ttlMs;
        _leases[id] = new LeaseState(ttlMs, expiresAtMs);
        batch.GrantedLeases.Add((id, ttlMs, expiresAtMs));
        batch.LeaseSequenceChanged = true;
        batch.LeasesChanged = true;
        return id;
    }

    /// <summary>Removes the lease and deletes its keys, all at one new revision (none when it holds no keys).</summary>
    private void Revoke(Batch batch, long lease)
    {
        if (!_leases.Remove(lease))
        {
            throw new LeaseNotFoundException(lease);
        }

        batch.RevokedLeases.Add(lease);
        batch.LeasesChanged = true;
        if (!_leaseKeys.Remove(lease, out var keys) || keys.Count == 0)
        {
            return;
        }

        var revision = batch.Revision + 1;
        foreach (var key in keys.Order(StringComparer.Ordinal))
        {
            if (Current(batch, key) is { } prev && prev.Lease == lease)
            {
                batch.Overlay[key] = null;
                batch.Events.Add(new WatchEvent(WatchEventType.Delete, new KeyValue(key, ReadOnlyMemory<byte>.Empty, 0, revision, 0), prev));
            }
        }

        batch.Revision = revision;
    }

    private void ExpireLeases(Batch batch)
    {
        Volatile.Write(ref _expiryQueued, 0);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var expired = _leases.Where(l => l.Value.ExpiresAtMs <= now).OrderBy(l => l.Value.ExpiresAtMs).Select(l => l.Key).ToList();
        foreach (var lease in expired)
        {
            Revoke(batch, lease);
        }

        batch.LeasesChanged = true;
        if (expired.Count > 0)
        {
            Log($"expired {expired.Count} lease(s)");
        }
    }

    /// <summary>Arms the timer for the earliest expiry (writer thread, or before it starts).</summary>
    private void ScheduleLeaseTimer()
    {
        if (_leases.Count == 0)
        {
            ChangeLeaseTimer(Timeout.InfiniteTimeSpan);
            return;
        }

        var earliest = _leases.Values.Min(l => l.ExpiresAtMs);
        var due = Math.Max(0, earliest - _time.GetUtcNow().ToUnixTimeMilliseconds());
        ChangeLeaseTimer(TimeSpan.FromMilliseconds(due));
    }

    private void ChangeLeaseTimer(TimeSpan due)
    {
        try
        {
            _leaseTimer.Change(due, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // closing
        }
    }

    private void OnLeaseTimer()
    {
        if (Volatile.Read(ref _disposed) != 0 || Interlocked.Exchange(ref _expiryQueued, 1) != 0)
        {
            return;
        }

        if (!_queue.Writer.TryWrite(new ExpireLeasesRequest()))
        {
            // The queue is full (or closing): try again shortly rather than block a timer thread.
            Volatile.Write(ref _expiryQueued, 0);
            ChangeLeaseTimer(TimeSpan.FromMilliseconds(100));
        }
    }
}
