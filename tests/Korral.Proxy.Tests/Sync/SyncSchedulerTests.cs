using System.Threading.Channels;
using Korral.Proxy.Sync;
using Korral.Proxy.Tests.Fixtures;

namespace Korral.Proxy.Tests.Sync;

/// <summary>The bounded-frequency loop on fake time: first sync at once, bursts collapse, at most one per min interval, one per max interval without requests.</summary>
public sealed class SyncSchedulerTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new();
    private readonly Channel<DateTimeOffset> _syncs = Channel.CreateUnbounded<DateTimeOffset>();
    private readonly CancellationTokenSource _stop = new();
    private SyncScheduler _scheduler = null!;
    private Task _loop = Task.CompletedTask;
    private bool _fail;

    public Task InitializeAsync()
    {
        _scheduler = new SyncScheduler(_time, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        _loop = _scheduler.RunAsync(
            _ =>
            {
                _syncs.Writer.TryWrite(_time.GetUtcNow());
                return Task.FromResult(!_fail);
            },
            _ => { },
            _stop.Token);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop.WaitAsync(Timeout);
    }

    [Fact]
    public async Task RequestsWithinTheMinIntervalShareOneSync()
    {
        var start = await NextSyncAsync();
        for (var i = 0; i < 5; i++)
        {
            _scheduler.Request();
        }

        await WaitForTimersAsync();
        Assert.False(_syncs.Reader.TryRead(out _));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(start + TimeSpan.FromSeconds(1), await NextSyncAsync());

        await WaitForTimersAsync();
        _time.Advance(TimeSpan.FromSeconds(5));
        await WaitForTimersAsync();
        Assert.False(_syncs.Reader.TryRead(out _));
    }

    [Fact]
    public async Task WithoutRequestsItSyncsOncePerMaxInterval()
    {
        var start = await NextSyncAsync();
        await WaitForTimersAsync();
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(start + TimeSpan.FromSeconds(30), await NextSyncAsync());
    }

    [Fact]
    public async Task FailuresAreRetriedWithBackoff()
    {
        var start = await NextSyncAsync();
        _fail = true;
        _scheduler.Request();
        await WaitForTimersAsync();
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(start + TimeSpan.FromSeconds(1), await NextSyncAsync());

        // Retried after 1 s, then after 2 s, without any request.
        await WaitForTimersAsync();
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(start + TimeSpan.FromSeconds(2), await NextSyncAsync());
        await WaitForTimersAsync();
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(start + TimeSpan.FromSeconds(4), await NextSyncAsync());
    }

    private async Task<DateTimeOffset> NextSyncAsync() => await _syncs.Reader.ReadAsync().AsTask().WaitAsync(Timeout);

    /// <summary>Waits until the loop is parked on a timer (so that advancing the clock reaches it).</summary>
    private async Task WaitForTimersAsync() =>
        await Eventually.TrueAsync(() => Task.FromResult(_time.PendingTimers > 0), Timeout, () => "the loop never waited on a timer");
}
