using System.Collections.Concurrent;
using Korral.Client.Queues;

namespace Korral.Client.Tests.Queues;

/// <summary>The work queue contract (client-go workqueue/doc.go), case by case.</summary>
public sealed class WorkQueueTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Duplicates_collapse_into_one_item()
    {
        var q = new WorkQueue<string>();
        q.Add("a");
        q.Add("a");
        q.Add("b");
        q.Add("a");

        Assert.Equal(2, q.Count);
        Assert.Equal(("a", false), await q.GetAsync(None));
        Assert.Equal(("b", false), await q.GetAsync(None));
        Assert.Equal(0, q.Count);
    }

    [Fact]
    public async Task Items_come_out_in_the_order_first_added()
    {
        var q = new WorkQueue<int>();
        foreach (var i in new[] { 3, 1, 2, 1, 3 })
        {
            q.Add(i);
        }

        var order = new List<int>();
        for (var n = 0; n < 3; n++)
        {
            order.Add((await q.GetAsync(None)).Item);
        }

        Assert.Equal([3, 1, 2], order);
    }

    [Fact]
    public async Task An_item_being_processed_is_not_handed_to_a_second_worker()
    {
        var q = new WorkQueue<string>();
        q.Add("a");
        var (item, _) = await q.GetAsync(None);
        Assert.Equal("a", item);

        q.Add("a");
        Assert.Equal(0, q.Count);
        var second = q.GetAsync(None).AsTask();
        Assert.False(second.IsCompleted);
        Assert.True(q.IsProcessing("a"));

        q.Done("a");
        Assert.Equal(("a", false), await second.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Re_adds_during_processing_are_processed_after_done_once()
    {
        var q = new WorkQueue<string>();
        q.Add("a");
        await q.GetAsync(None);
        q.Add("a");
        q.Add("a");
        q.Add("b");

        q.Done("a");

        Assert.Equal(2, q.Count);
        Assert.Equal(("b", false), await q.GetAsync(None));
        Assert.Equal(("a", false), await q.GetAsync(None));
        Assert.Equal(0, q.Count);
    }

    [Fact]
    public async Task Done_without_a_re_add_does_not_requeue()
    {
        var q = new WorkQueue<string>();
        q.Add("a");
        await q.GetAsync(None);
        q.Done("a");

        Assert.Equal(0, q.Count);
        Assert.False(q.IsProcessing("a"));
    }

    [Fact]
    public async Task A_waiting_worker_gets_the_next_added_item()
    {
        var q = new WorkQueue<string>();
        var waiting = q.GetAsync(None).AsTask();
        Assert.False(waiting.IsCompleted);

        q.Add("a");

        Assert.Equal(("a", false), await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(q.IsProcessing("a"));
    }

    [Fact]
    public async Task Shutdown_drains_queued_items_then_reports_shutdown_and_ignores_adds()
    {
        var q = new WorkQueue<string>();
        q.Add("a");
        q.Add("b");

        q.ShutDown();
        q.Add("c");

        Assert.True(q.ShuttingDown);
        Assert.Equal(("a", false), await q.GetAsync(None));
        Assert.Equal(("b", false), await q.GetAsync(None));
        var (_, shutDown) = await q.GetAsync(None);
        Assert.True(shutDown);
    }

    [Fact]
    public async Task Shutdown_wakes_waiting_workers()
    {
        var q = new WorkQueue<string>();
        var waiters = Enumerable.Range(0, 3).Select(_ => q.GetAsync(None).AsTask()).ToList();

        q.ShutDown();

        foreach (var w in waiters)
        {
            Assert.True((await w.WaitAsync(TimeSpan.FromSeconds(5))).ShutDown);
        }
    }

    [Fact]
    public async Task A_re_add_during_processing_before_shutdown_is_still_handed_out()
    {
        var q = new WorkQueue<string>();
        q.Add("a");
        await q.GetAsync(None);
        q.Add("a");
        q.ShutDown();

        q.Done("a");

        Assert.Equal(("a", false), await q.GetAsync(None));
        q.Done("a");
        Assert.True((await q.GetAsync(None)).ShutDown);
    }

    [Fact]
    public async Task Shutdown_with_drain_waits_for_items_in_processing()
    {
        var q = new WorkQueue<string>();
        q.Add("a");
        await q.GetAsync(None);

        var drained = q.ShutDownWithDrainAsync(None);
        Assert.False(drained.IsCompleted);

        q.Done("a");
        await drained.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_cancelled_wait_does_not_swallow_a_later_item()
    {
        var q = new WorkQueue<string>();
        using var cts = new CancellationTokenSource();
        var cancelled = q.GetAsync(cts.Token).AsTask();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        q.Add("a");

        Assert.Equal(1, q.Count);
        Assert.Equal(("a", false), await q.GetAsync(None));
    }

    [Fact]
    public async Task Concurrent_workers_never_hold_the_same_item_and_process_every_last_add()
    {
        var q = new WorkQueue<int>();
        var holding = new ConcurrentDictionary<int, int>();
        var overlaps = 0;
        var processedAfterLastAdd = new ConcurrentDictionary<int, bool>();
        var lastAddsDone = 0;

        async Task Worker()
        {
            while (true)
            {
                var (item, shutDown) = await q.GetAsync(None);
                if (shutDown)
                {
                    return;
                }

                if (!holding.TryAdd(item, 0))
                {
                    Interlocked.Increment(ref overlaps);
                }

                var afterLast = Volatile.Read(ref lastAddsDone) == 1;
                await Task.Yield();
                holding.TryRemove(item, out _);
                if (afterLast)
                {
                    processedAfterLastAdd[item] = true;
                }

                q.Done(item);
            }
        }

        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(Worker)).ToList();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(p => Task.Run(() =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                q.Add(i % 50);
            }
        })));
        Volatile.Write(ref lastAddsDone, 1);
        for (var i = 0; i < 50; i++)
        {
            q.Add(i);
        }

        await q.ShutDownWithDrainAsync(None).WaitAsync(TimeSpan.FromSeconds(30));
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, overlaps);
        // Every item added after the flag was seen by a worker that started after the flag (no add is lost).
        Assert.Equal(50, processedAfterLastAdd.Count);
    }
}
