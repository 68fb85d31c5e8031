namespace Korral.E2E.Nodes;

/// <summary>
/// Waiting for a condition that nothing announces (a directory gone, a port answering, a log line written): probe, and
/// probe again after a short pause, until the probe's value is accepted or the limit passes. Where kubectl can announce the
/// change (`get -w`), tests follow the watch instead.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Returns the first value of <paramref name="probe"/> that <paramref name="done"/> accepts; fails the test with
    /// <paramref name="description"/> and the last value (or the last exception of the probe) after <paramref name="timeout"/>.
    /// </summary>
    public static async Task<T> WaitAsync<T>(
        Func<CancellationToken, Task<T>> probe, Func<T, bool> done, string description, TimeSpan timeout, Func<T, string>? show = null)
    {
        using var limit = new CancellationTokenSource(timeout);
        var last = "(no value yet)";
        while (true)
        {
            try
            {
                var value = await probe(limit.Token);
                if (done(value))
                {
                    return value;
                }

                last = show?.Invoke(value) ?? value?.ToString() ?? "null";
            }
            catch (Exception e) when (e is not OperationCanceledException || !limit.IsCancellationRequested)
            {
                // A probe may fail while the condition is not met yet (connection refused before a server listens).
                last = $"{e.GetType().Name}: {e.Message}";
            }
            catch (OperationCanceledException)
            {
                // The limit ran out inside the probe: report below.
            }

            if (limit.IsCancellationRequested)
            {
                Assert.Fail($"timed out after {timeout.TotalSeconds} s waiting for {description}; last: {last}");
            }

            try
            {
                await Task.Delay(Pause, limit.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"timed out after {timeout.TotalSeconds} s waiting for {description}; last: {last}");
            }
        }
    }
}
