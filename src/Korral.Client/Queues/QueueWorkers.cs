namespace Korral.Client.Queues;

/// <summary>
/// Runs a controller's workers over a rate-limited queue, the way upstream controllers do (habit 3 of style.md):
/// take a key, reconcile it, Forget it on success, AddRateLimited it (with a log line) on failure, Done it always.
/// </summary>
public static class QueueWorkers
{
    /// <summary>
    /// Runs <paramref name="workers"/> loops until <paramref name="cancellationToken"/> fires; then the queue is shut down,
    /// the reconciles in flight see the token cancelled, and this returns when every worker has stopped.
    /// </summary>
    public static async Task RunAsync<T>(IRateLimitingQueue<T> queue, int workers, Func<T, CancellationToken, Task> reconcile, Action<string>? log,
        CancellationToken cancellationToken)
        where T : notnull
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        log ??= _ => { };
        await using var stop = cancellationToken.Register(queue.ShutDown);
        var loops = new Task[workers];
        for (var i = 0; i < workers; i++)
        {
            loops[i] = Task.Run(() => WorkAsync(queue, reconcile, log, cancellationToken), CancellationToken.None);
        }

        await Task.WhenAll(loops);
    }

    private static async Task WorkAsync<T>(IRateLimitingQueue<T> queue, Func<T, CancellationToken, Task> reconcile, Action<string> log,
        CancellationToken cancellationToken)
        where T : notnull
    {
        while (true)
        {
            var (item, shutDown) = await queue.GetAsync(CancellationToken.None);
            if (shutDown)
            {
                return;
            }

            try
            {
                await reconcile(item, cancellationToken);
                queue.Forget(item);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                log($"reconciling {item} failed (retry {queue.NumRequeues(item) + 1}): {e.GetType().Name}: {e.Message}");
                queue.AddRateLimited(item);
            }
            finally
            {
                queue.Done(item);
            }
        }
    }
}
