using Korral.Client.Queues;
using Korral.Client.Tests.Fixtures;

namespace Korral.Client.Tests.Queues;

public sealed class DelayingQueueTests
{
    [Fact]
    public void An_item_added_after_a_delay_appears_only_when_the_delay_has_passed()
    {
        var time = new FakeTimeProvider();
        var q = new DelayingQueue<string>(time);

        q.AddAfter("a", TimeSpan.FromSeconds(10));
        Assert.Equal(0, q.Count);
        Assert.Equal(1, q.DelayedCount);

        time.Advance(TimeSpan.FromSeconds(9.999));
        Assert.Equal(0, q.Count);

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, q.Count);
        Assert.Equal(0, q.DelayedCount);
    }

    [Fact]
    public void A_zero_or_negative_delay_adds_at_once()
    {
        var q = new DelayingQueue<string>(new FakeTimeProvider());
        q.AddAfter("a", TimeSpan.Zero);
        q.AddAfter("b", TimeSpan.FromSeconds(-1));
        Assert.Equal(2, q.Count);
    }

    [Fact]
    public void An_item_waiting_twice_keeps_the_earlier_time()
    {
        var time = new FakeTimeProvider();
        var q = new DelayingQueue<string>(time);

        q.AddAfter("a", TimeSpan.FromSeconds(10));
        q.AddAfter("a", TimeSpan.FromSeconds(2));
        q.AddAfter("a", TimeSpan.FromSeconds(5));
        Assert.Equal(1, q.DelayedCount);

        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, q.Count);
        Assert.Equal(0, q.DelayedCount);

        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, q.Count);
    }

    [Fact]
    public async Task Delayed_items_come_out_in_due_order()
    {
        var time = new FakeTimeProvider();
        var q = new DelayingQueue<string>(time);
        q.AddAfter("late", TimeSpan.FromSeconds(3));
        q.AddAfter("early", TimeSpan.FromSeconds(1));
        q.AddAfter("middle", TimeSpan.FromSeconds(2));

        time.Advance(TimeSpan.FromSeconds(5));

        var order = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            order.Add((await q.GetAsync(CancellationToken.None)).Item);
        }

        Assert.Equal(["early", "middle", "late"], order);
    }

    [Fact]
    public void A_delayed_item_that_is_already_queued_collapses()
    {
        var time = new FakeTimeProvider();
        var q = new DelayingQueue<string>(time);
        q.Add("a");
        q.AddAfter("a", TimeSpan.FromSeconds(1));

        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, q.Count);
    }

    [Fact]
    public void Shutdown_drops_waiting_items_and_stops_the_timer()
    {
        var time = new FakeTimeProvider();
        var q = new DelayingQueue<string>(time);
        q.AddAfter("a", TimeSpan.FromSeconds(1));

        q.ShutDown();
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(0, q.Count);
        Assert.Equal(0, q.DelayedCount);
        Assert.Equal(0, time.PendingTimers);
    }
}
