namespace Korral.Client.Queues;

/// <summary>
/// An overall token bucket shared by all items: <paramref name="burst"/> retries at once, then
/// <paramref name="qps"/> per second. Each <see cref="When"/> reserves a token, so the delays it hands out space the
/// retries evenly (golang.org/x/time/rate's Reserve, which upstream uses). Not per item: Forget and NumRequeues do nothing.
/// </summary>
public sealed class BucketRateLimiter<T> : IRateLimiter<T>
    where T : notnull
{
    private readonly Lock _lock = new();
    private readonly double _qps;
    private readonly int _burst;
    private readonly TimeProvider _time;
    private double _tokens;
    private DateTimeOffset _last;

    public BucketRateLimiter(double qps, int burst, TimeProvider? time = null)
    {
        if (qps <= 0 || burst < 1)
        {
            throw new ArgumentException($"a token bucket needs qps > 0 ({qps}) and burst >= 1 ({burst})");
        }

        _qps = qps;
        _burst = burst;
        _time = time ?? TimeProvider.System;
        _tokens = burst;
        _last = _time.GetUtcNow();
    }

    public TimeSpan When(T item)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            if (now > _last)
            {
                _tokens = Math.Min(_burst, _tokens + ((now - _last).TotalSeconds * _qps));
                _last = now;
            }

            _tokens -= 1;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _qps);
        }
    }

    public void Forget(T item)
    {
    }

    public int NumRequeues(T item) => 0;
}
