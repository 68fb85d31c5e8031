namespace Korral.Client.Queues;

/// <summary>The rate limiters controllers start from.</summary>
public static class RateLimiters
{
    /// <summary>Upstream's per-item backoff of controllers: 5 ms, doubling, capped at 1000 s.</summary>
    public static readonly TimeSpan DefaultBaseDelay = TimeSpan.FromMilliseconds(5);

    public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromSeconds(1000);

    /// <summary>
    /// Per-item exponential backoff (5 ms → 1000 s). Upstream adds an overall bucket of 10 retries/s (burst 100); here
    /// it is off unless <paramref name="overallQps"/> is given, for the reason docs/architecture.md gives for client-side
    /// limits: it caps how fast a large controller can catch up after a failure.
    /// </summary>
    public static IRateLimiter<T> DefaultController<T>(TimeProvider? time = null, double? overallQps = null, int overallBurst = 100)
        where T : notnull
    {
        var perItem = new ItemExponentialFailureRateLimiter<T>(DefaultBaseDelay, DefaultMaxDelay);
        return overallQps is { } qps
            ? new MaxOfRateLimiter<T>(perItem, new BucketRateLimiter<T>(qps, overallBurst, time))
            : perItem;
    }
}
