namespace Korral.Proxy.Sync;

/// <summary>
/// Runs a sync when asked (<see cref="Request"/>), at most once per <c>minInterval</c> (requests meanwhile collapse into
/// one sync after it), and at least once per <c>maxInterval</c> without requests. A failed sync is retried after
/// <c>minInterval</c>, doubling up to <c>maxInterval</c>. kube-proxy's bounded-frequency runner, on a TimeProvider.
/// </summary>
public sealed class SyncScheduler
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _minInterval;
    private readonly TimeSpan _maxInterval;
    private readonly SemaphoreSlim _signal = new(0, 1);

    public SyncScheduler(TimeProvider time, TimeSpan minInterval, TimeSpan maxInterval)
    {
        _time = time;
        _minInterval = minInterval;
        _maxInterval = maxInterval;
    }

    /// <summary>Asks for a sync; cheap, callable from any thread (informer handlers).</summary>
    public void Request()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already requested.
        }
    }

    /// <summary>
    /// Loops until cancelled (then returns). <paramref name="sync"/> returns false (or throws, reported to
    /// <paramref name="onError"/>) on failure.
    /// </summary>
    public async Task RunAsync(Func<CancellationToken, Task<bool>> sync, Action<Exception> onError, CancellationToken cancellationToken)
    {
        try
        {
            await LoopAsync(sync, onError, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task LoopAsync(Func<CancellationToken, Task<bool>> sync, Action<Exception> onError, CancellationToken cancellationToken)
    {
        long? lastStart = null;
        var retry = TimeSpan.Zero;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (lastStart is { } last)
            {
                // Wait for a request, but no longer than the max interval (or the retry delay) since the last sync.
                var wait = (retry > TimeSpan.Zero ? retry : _maxInterval) - _time.GetElapsedTime(last);
                if (wait > TimeSpan.Zero)
                {
                    await WaitForRequestAsync(wait, cancellationToken);
                }

                var early = _minInterval - _time.GetElapsedTime(last);
                if (early > TimeSpan.Zero)
                {
                    await Task.Delay(early, _time, cancellationToken);
                }
            }

            // Requests from here on ask for another sync after this one.
            _signal.Wait(0, CancellationToken.None);
            lastStart = _time.GetTimestamp();
            bool ok;
            try
            {
                ok = await sync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e)
            {
                onError(e);
                ok = false;
            }

            var firstRetry = _minInterval > TimeSpan.FromMilliseconds(100) ? _minInterval : TimeSpan.FromMilliseconds(100);
            retry = ok ? TimeSpan.Zero : retry == TimeSpan.Zero ? firstRetry : TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, _maxInterval.Ticks));
        }
    }

    private async Task WaitForRequestAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var signalled = _signal.WaitAsync(linked.Token);
        var timer = Task.Delay(timeout, _time, linked.Token);
        await Task.WhenAny(signalled, timer);
        await linked.CancelAsync();
        try
        {
            await signalled;
            // Put the request back: it is consumed just before the sync starts.
            Request();
        }
        catch (OperationCanceledException)
        {
        }

        try
        {
            await timer;
        }
        catch (OperationCanceledException)
        {
        }

        cancellationToken.ThrowIfCancellationRequested();
    }
}
