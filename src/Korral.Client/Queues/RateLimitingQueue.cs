namespace Korral.Client.Queues;

/// <summary>
/// The queue controllers use: a delaying queue whose <see cref="AddRateLimited"/> waits as long as the rate limiter
/// says (default <see cref="RateLimiters.DefaultController{T}"/>: per-item exponential backoff 5 ms → 1000 s).
/// </summary>
public sealed class RateLimitingQueue<T> : DelayingQueue<T>, IRateLimitingQueue<T>
    where T : notnull
{
    public RateLimitingQueue(IRateLimiter<T>? rateLimiter = null, TimeProvider? time = null)
        : base(time)
    {
        RateLimiter = rateLimiter ?? RateLimiters.DefaultController<T>(Time);
    }

    public IRateLimiter<T> RateLimiter { get; }

    public void AddRateLimited(T item) => AddAfter(item, RateLimiter.When(item));

    public void Forget(T item) => RateLimiter.Forget(item);

    public int NumRequeues(T item) => RateLimiter.NumRequeues(item);
}
