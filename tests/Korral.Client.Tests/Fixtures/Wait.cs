namespace Korral.Client.Tests.Fixtures;

/// <summary>Waiting for a condition signalled by the code under test, with a timeout that fails with context.</summary>
public static class Wait
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    public static async Task<T> For<T>(Task<T> task, string what, Func<string>? context = null, TimeSpan? timeout = null)
    {
        try
        {
            return await task.WaitAsync(timeout ?? Default);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"timed out after {(timeout ?? Default).TotalSeconds} s waiting for {what}\n{context?.Invoke()}");
        }
    }

    public static async Task For(Task task, string what, Func<string>? context = null, TimeSpan? timeout = null)
    {
        try
        {
            await task.WaitAsync(timeout ?? Default);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"timed out after {(timeout ?? Default).TotalSeconds} s waiting for {what}\n{context?.Invoke()}");
        }
    }
}
