namespace Korral.Streaming.Tests.Spdy;

/// <summary>Waits for a condition other threads make true (no fixed sleeps).</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"never happened: {what}");
            }

            await Task.Delay(5);
        }
    }
}
