namespace Korral.Client.Queues;

/// <summary>
/// Per-item exponential backoff: the n-th failure of an item (from 0) waits baseDelay × 2ⁿ, capped at maxDelay
/// (controller default 5 ms → 1000 s). Thread-safe.
/// </summary>
public sealed class ItemExponentialFailureRateLimiter<T>(TimeSpan baseDelay, TimeSpan maxDelay) : IRateLimiter<T>
    where T : notnull
{
    private readonly Lock _lock = new();
    private readonly Dictionary<T, int> _failures = [];

    public TimeSpan When(T item)
    {
        int exponent;
        lock (_lock)
        {
            _failures.TryGetValue(item, out exponent);
            _failures[item] = exponent + 1;
        }

        // 2^exponent overflows long ticks long before exponent 63: compute in double and cap.
        var ticks = baseDelay.Ticks * Math.Pow(2, exponent);
        return ticks >= maxDelay.Ticks || double.IsInfinity(ticks) ? maxDelay : TimeSpan.FromTicks((long)ticks);
    }

    public void Forget(T item)
    {
        lock (_lock)
        {
            _failures.Remove(item);
        }
    }

    public int NumRequeues(T item)
    {
        lock (_lock)
        {
            return _failures.GetValueOrDefault(item);
        }
    }
}
