namespace Korral.Client.Queues;

/// <summary>The longest delay of several limiters (per-item backoff and an overall bucket, say).</summary>
public sealed class MaxOfRateLimiter<T>(params IReadOnlyList<IRateLimiter<T>> limiters) : IRateLimiter<T>
    where T : notnull
{
    public TimeSpan When(T item)
    {
        var longest = TimeSpan.Zero;
        foreach (var limiter in limiters)
        {
            var delay = limiter.When(item);
            if (delay > longest)
            {
                longest = delay;
            }
        }

        return longest;
    }

    public void Forget(T item)
    {
        foreach (var limiter in limiters)
        {
            limiter.Forget(item);
        }
    }

    public int NumRequeues(T item) => limiters.Count == 0 ? 0 : limiters.Max(l => l.NumRequeues(item));
}
