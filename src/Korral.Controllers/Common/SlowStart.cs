namespace Korral.Controllers.Common;

/// <summary>
/// Upstream's slowStartBatch: run <c>count</c> calls in batches of 1, 2, 4, … in parallel, stopping after the first
/// batch with a failure, so that a controller whose creates all fail (quota, admission) sends one request, not hundreds.
/// </summary>
public static class SlowStart
{
    /// <summary>Returns how many calls succeeded and the first error (null when every call ran and succeeded).</summary>
    public static async Task<(int Successes, Exception? Error)> BatchAsync(int count, int initialBatchSize, Func<Task> call)
    {
        var remaining = count;
        var successes = 0;
        for (var batch = Math.Min(remaining, initialBatchSize); batch > 0; batch = Math.Min(2 * batch, remaining))
        {
            var tasks = Enumerable.Range(0, batch).Select(_ => Task.Run(call)).ToArray();
            try
            {
                await Task.WhenAll(tasks);
            }
            catch
            {
                // Counted below.
            }

            successes += tasks.Count(t => t.IsCompletedSuccessfully);
            var failed = tasks.FirstOrDefault(t => !t.IsCompletedSuccessfully);
            if (failed is not null)
            {
                return (successes, failed.Exception?.InnerException ?? new OperationCanceledException());
            }

            remaining -= batch;
        }

        return (successes, null);
    }
}
