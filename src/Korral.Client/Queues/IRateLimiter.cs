namespace Korral.Client.Queues;

/// <summary>Decides how long an item waits before it is retried (client-go workqueue.RateLimiter).</summary>
public interface IRateLimiter<T>
    where T : notnull
{
    /// <summary>The delay for this retry of <paramref name="item"/> (counts one more failure).</summary>
    TimeSpan When(T item);

    /// <summary>Forgets the item's failures (it succeeded).</summary>
    void Forget(T item);

    /// <summary>Failures counted for the item since it was last forgotten.</summary>
    int NumRequeues(T item);
}
