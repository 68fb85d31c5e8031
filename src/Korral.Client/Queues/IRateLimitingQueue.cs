namespace Korral.Client.Queues;

/// <summary>A delaying queue whose re-adds are paced by a rate limiter (client-go RateLimitingInterface).</summary>
public interface IRateLimitingQueue<T> : IDelayingQueue<T>
    where T : notnull
{
    /// <summary>Adds the item after the delay the rate limiter gives it (one more failure for per-item backoff).</summary>
    void AddRateLimited(T item);

    /// <summary>Clears the item's failure history: call after it was processed successfully.</summary>
    void Forget(T item);

    /// <summary>How many times the item was re-added with <see cref="AddRateLimited"/> since it was last forgotten.</summary>
    int NumRequeues(T item);
}
