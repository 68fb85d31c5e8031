using System.Threading.Channels;
using Korral.Storage.Contract;

namespace Korral.Storage.Tests.Contract;

/// <summary>
/// Consumes a watch as fast as it can into an unbounded queue, so tests can wait for the next event with a timeout
/// (never sleep) and inspect how the stream ended.
/// </summary>
public sealed class WatchProbe : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly Channel<WatchEvent> _events = Channel.CreateUnbounded<WatchEvent>();
    private readonly CancellationTokenSource _cancel = new();
    private readonly Task _pump;

    public WatchProbe(IKeyValueStore store, WatchRequest request)
    {
        Request = request;
        var stream = store.WatchAsync(request, _cancel.Token);
        _pump = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in stream)
                {
                    _events.Writer.TryWrite(e);
                }

                _events.Writer.TryComplete();
            }
            catch (Exception e)
            {
                _events.Writer.TryComplete(e);
            }
        });
    }

    public WatchRequest Request { get; }

    public async Task<WatchEvent> NextAsync(string waitingFor)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            return await _events.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"no event within {Timeout} on watch {Request}: waiting for {waitingFor}");
        }
        catch (ChannelClosedException e)
        {
            throw new InvalidOperationException($"watch {Request} ended while waiting for {waitingFor}", e.InnerException ?? e);
        }
    }

    public async Task<List<WatchEvent>> TakeAsync(int count, string waitingFor)
    {
        var events = new List<WatchEvent>(count);
        while (events.Count < count)
        {
            events.Add(await NextAsync($"{waitingFor} (event {events.Count + 1} of {count})"));
        }

        return events;
    }

    /// <summary>Waits until the stream ends and returns the exception it ended with (null if it ended normally).</summary>
    public async Task<Exception?> EndAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            while (true)
            {
                await _events.Reader.ReadAsync(timeout.Token);
            }
        }
        catch (ChannelClosedException e)
        {
            return e.InnerException;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"watch {Request} did not end within {Timeout}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _cancel.CancelAsync();
        await _pump;
        _cancel.Dispose();
    }
}
