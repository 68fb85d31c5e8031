using System.Diagnostics;

namespace Korral.Bench.Measurement;

/// <summary>
/// Closed-loop load: N workers each send one request, wait for its answer, and send the next, until the run has issued
/// its operation count and lasted its minimum time, or its maximum time is up. Every operation gets a distinct index,
/// so object names never collide. A run that keeps failing stops early instead of spinning.
/// </summary>
public static class LoadRunner
{
    private const int MaxErrors = 50;

    public static Task<LoadResult> RunAsync(int workers, long ops, TimeSpan maxDuration, Operation operation, CancellationToken cancellationToken) =>
        RunAsync(workers, ops, TimeSpan.Zero, maxDuration, operation, cancellationToken);

    public static async Task<LoadResult> RunAsync(int workers, long ops, TimeSpan minDuration, TimeSpan maxDuration, Operation operation,
        CancellationToken cancellationToken)
    {
        long next = -1;
        long errors = 0;
        string? firstError = null;
        var samples = new List<long>[workers];
        var clock = Stopwatch.StartNew();

        async Task WorkerAsync(int worker)
        {
            var mine = samples[worker] = new List<long>((int)Math.Min(ops / workers + 1, 1 << 20));
            while (clock.Elapsed < maxDuration && Interlocked.Read(ref errors) < MaxErrors)
            {
                var index = Interlocked.Increment(ref next);
                if (index >= ops && clock.Elapsed >= minDuration)
                {
                    return;
                }

                var started = Stopwatch.GetTimestamp();
                string? error;
                try
                {
                    error = await operation(index, cancellationToken);
                }
                catch (HttpRequestException e)
                {
                    error = e.Message;
                }

                var elapsed = Stopwatch.GetTimestamp() - started;
                if (error is null)
                {
                    mine.Add(elapsed);
                }
                else
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, error, null);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(() => WorkerAsync(w), cancellationToken)));
        var wall = clock.Elapsed;
        return new LoadResult(workers, new Latencies(samples.SelectMany(s => s)), (int)errors, firstError, wall);
    }
}
