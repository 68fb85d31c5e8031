using Korral.Controllers.NodeLifecycle;

namespace Korral.Controllers.Tests.NodeLifecycle;

/// <summary>The per-zone tainting queue: membership, token bucket of burst 1, refunds, rate swaps.</summary>
public sealed class ZoneTainterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Nodes_come_out_in_order_one_per_period_and_stay_members()
    {
        var tainter = new ZoneTainter(0.1, T0);
        Assert.True(tainter.Add("a", T0));
        Assert.True(tainter.Add("b", T0));
        Assert.False(tainter.Add("a", T0));

        Assert.Equal("a", tainter.TryTake(T0));
        Assert.Equal(T0.AddSeconds(10), tainter.NextDue(T0.AddSeconds(5)));
        Assert.Null(tainter.TryTake(T0.AddSeconds(9.9)));
        Assert.Equal("b", tainter.TryTake(T0.AddSeconds(10)));

        // Handed out, still members: not queued twice until removed.
        Assert.False(tainter.Add("a", T0.AddSeconds(30)));
        Assert.True(tainter.Remove("a"));
        Assert.True(tainter.Add("a", T0.AddSeconds(30)));
    }

    [Fact]
    public void A_refunded_retry_keeps_the_token_and_a_failed_one_spends_it()
    {
        var tainter = new ZoneTainter(0.1, T0);
        tainter.Add("a", T0);
        Assert.Equal("a", tainter.TryTake(T0));
        tainter.Retry("a", T0.AddMilliseconds(50), refund: true);
        Assert.Null(tainter.TryTake(T0));
        Assert.Equal("a", tainter.TryTake(T0.AddMilliseconds(50)));

        tainter.Retry("a", T0.AddMilliseconds(100), refund: false);
        Assert.Null(tainter.TryTake(T0.AddSeconds(1)));
        Assert.Equal("a", tainter.TryTake(T0.AddSeconds(10.05)));
    }

    [Fact]
    public void A_zero_rate_hands_out_nothing_and_a_new_rate_starts_full_unless_the_old_bucket_was_empty()
    {
        var tainter = new ZoneTainter(0.1, T0);
        tainter.Add("a", T0);
        tainter.Add("b", T0);
        tainter.SwapLimiter(0, T0);
        Assert.Null(tainter.TryTake(T0.AddHours(1)));
        Assert.Null(tainter.NextDue(T0.AddHours(1)));

        // The zero-rate bucket was empty: the new one starts empty too.
        tainter.SwapLimiter(1, T0.AddHours(1));
        Assert.Null(tainter.TryTake(T0.AddHours(1)));
        Assert.Equal("a", tainter.TryTake(T0.AddHours(1).AddSeconds(1)));

        var full = new ZoneTainter(0.1, T0);
        full.Add("a", T0);
        full.SwapLimiter(0.01, T0);
        Assert.Equal("a", full.TryTake(T0));
    }
}
