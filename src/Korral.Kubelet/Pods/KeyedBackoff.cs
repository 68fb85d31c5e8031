namespace Korral.Kubelet.Pods;

/// <summary>
/// Per-key exponential back-off as upstream's flowcontrol.Backoff: each <see cref="Next"/> doubles the key's delay from
/// the initial one up to the maximum; a key untouched for twice the maximum starts over. Thread-safe.
/// </summary>
public sealed class KeyedBackoff(TimeSpan initial, TimeSpan max, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (TimeSpan Delay, DateTimeOffset Updated)> _entries = new(StringComparer.Ordinal);

    /// <summary>The key's current delay (zero when it has none).</summary>
    public TimeSpan Get(string key)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(key, out var e) && !Expired(e.Updated) ? e.Delay : TimeSpan.Zero;
        }
    }

    /// <summary>Moves the key to its next delay and returns it.</summary>
    public TimeSpan Next(string key)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            var delay = _entries.TryGetValue(key, out var e) && !Expired(e.Updated)
                ? TimeSpan.FromTicks(Math.Min(e.Delay.Ticks * 2, max.Ticks))
                : initial;
            _entries[key] = (delay, now);
            return delay;
        }
    }

    /// <summary>Whether <paramref name="since"/> plus the key's current delay is still in the future.</summary>
    public bool IsInBackoffSince(string key, DateTimeOffset since, out TimeSpan remaining)
    {
        lock (_lock)
        {
            remaining = TimeSpan.Zero;
            if (!_entries.TryGetValue(key, out var e) || Expired(e.Updated))
            {
                return false;
            }

            remaining = since + e.Delay - time.GetUtcNow();
            return remaining > TimeSpan.Zero;
        }
    }

    /// <summary>Whether the key's last <see cref="Next"/> plus its delay is still in the future (back-off since the last failure).</summary>
    public bool IsInBackoff(string key, out TimeSpan remaining)
    {
        lock (_lock)
        {
            remaining = TimeSpan.Zero;
            if (!_entries.TryGetValue(key, out var e) || Expired(e.Updated))
            {
                return false;
            }

            remaining = e.Updated + e.Delay - time.GetUtcNow();
            return remaining > TimeSpan.Zero;
        }
    }

    public void Reset(string key)
    {
        lock (_lock)
        {
            _entries.Remove(key);
        }
    }

    /// <summary>Forgets every key that starts with <paramref name="prefix"/> (a deleted pod's entries).</summary>
    public void ResetPrefix(string prefix)
    {
        lock (_lock)
        {
            foreach (var key in _entries.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
            {
                _entries.Remove(key);
            }
        }
    }

    private bool Expired(DateTimeOffset updated) => time.GetUtcNow() - updated > 2 * max;
}
