using System.Diagnostics;

namespace Korral.Bench.Scheduler.Measurement;

/// <summary>Runs <c>count</c> writes with <c>writers</c> concurrent tasks; a write that got 429/5xx is retried after a short pause.</summary>
public static class ParallelWriter
{
    public static async Task<WriteResult> RunAsync(int count, int writers, Func<int, CancellationToken, Task<bool>> write, CancellationToken cancellationToken)
    {
        var next = -1;
        var retries = 0;
        var clock = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, Math.Min(writers, Math.Max(count, 1))).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                for (var attempt = 1; !await write(i, cancellationToken); attempt++)
                {
                    Interlocked.Increment(ref retries);
                    if (attempt == 20)
                    {
                        throw new InvalidOperationException($"write {i} was refused 20 times (429/5xx)");
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), cancellationToken);
                }
            }
        }, cancellationToken)).ToList();
        await Task.WhenAll(tasks);
        return new WriteResult(count, clock.Elapsed, retries);
    }
}
