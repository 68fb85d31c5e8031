namespace Korral.Bench.Scheduler.Measurement;

/// <summary>
/// scheduler_perf's throughput collector: once a second, how many pods were scheduled since the last sample (from the
/// scheduler's bound-pod counter); the figure reported is the mean of those per-second rates over the measured phase.
/// </summary>
public sealed class ThroughputSampler : IAsyncDisposable
{
    private readonly Func<long> _scheduled;
    private readonly List<double> _rates = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ThroughputSampler(Func<long> scheduled, Action<long>? progress = null)
    {
        _scheduled = scheduled;
        _loop = Task.Run(() => LoopAsync(progress));
    }

    /// <summary>The per-second rates so far (pods/s), in order.</summary>
    public IReadOnlyList<double> Rates
    {
        get
        {
            lock (_rates)
            {
                return [.. _rates];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task LoopAsync(Action<long>? progress)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var last = _scheduled();
        var lastAt = DateTimeOffset.UtcNow;
        while (await timer.WaitForNextTickAsync(_stop.Token))
        {
            var now = DateTimeOffset.UtcNow;
            var count = _scheduled();
            lock (_rates)
            {
                _rates.Add((count - last) / (now - lastAt).TotalSeconds);
            }

            (last, lastAt) = (count, now);
            progress?.Invoke(count);
        }
    }
}
