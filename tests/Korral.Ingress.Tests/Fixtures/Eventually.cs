namespace Korral.Ingress.Tests.Fixtures;

/// <summary>
/// Waits for a condition of a system that changes asynchronously (nginx reloading, a controller reacting to a watch)
/// with a timeout that fails with the last value seen. The condition is probed every 50 ms: there is no event to wait
/// on for "nginx now answers differently".
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Default);
        var last = "(nothing yet)";
        while (true)
        {
            try
            {
                var value = await probe();
                if (done(value))
                {
                    return value;
                }

                last = value?.ToString() ?? "null";
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
            {
                last = $"{e.GetType().Name}: {e.Message}";
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {(timeout ?? Default).TotalSeconds} s waiting for {what}; last: {last}");
            }

            await Task.Delay(50);
        }
    }
}
