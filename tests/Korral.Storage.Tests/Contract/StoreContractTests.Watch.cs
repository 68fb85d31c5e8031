using Korral.Storage.Contract;
using Xunit;

namespace Korral.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Watch_from_a_revision_delivers_history_then_live_events_in_order_with_prev_values()
    {
        var k = P + "k";
        var r1 = await PutAsync(k, "v1");
        var r2 = await PutAsync(k, "v2");
        var r3 = await PutAsync(P + "other", "o1");

        await using var watch = new WatchProbe(Store, WatchRequest.Prefix(P, r2));
        var history = await watch.TakeAsync(2, "history from r2");
        AssertPut(history[0], k, "v2", r2, "v1");
        AssertPut(history[1], P + "other", "o1", r3, null);
        Assert.Equal(r1, history[0].PrevKv!.ModRevision);

        var r4 = await PutAsync(k, "v3");
        var r5 = await DeleteAsync(P + "other");
        var live = await watch.TakeAsync(2, "live events");
        AssertPut(live[0], k, "v3", r4, "v2");
        Assert.Equal(3, live[0].Kv.Version);
        Assert.Equal(r1, live[0].Kv.CreateRevision);
        AssertDelete(live[1], P + "other", r5, "o1");
    }

    [Fact]
    public async Task Watch_from_zero_delivers_only_changes_after_the_call()
    {
        await PutAsync(P + "before", "x");
        await using var watch = new WatchProbe(Store, WatchRequest.Prefix(P));
        var r = await PutAsync(P + "after", "y");
        AssertPut(await watch.NextAsync("the write after the watch started"), P + "after", "y", r, null);
    }

    [Fact]
    public async Task Watch_delivers_delete_events_with_the_deleted_value()
    {
        var start = await PutAsync(P + "a", "1");
        await PutAsync(P + "b", "2");
        var deleted = await Store.TxnAsync(new Txn([], [new DeleteOp(P, KeyRange.PrefixEnd(P))], []), Ct);
        await using var watch = new WatchProbe(Store, WatchRequest.Prefix(P, start));
        var events = await watch.TakeAsync(4, "two puts and a two-key delete");
        AssertDelete(events[2], P + "a", deleted.Revision, "1");
        AssertDelete(events[3], P + "b", deleted.Revision, "2");
    }

    [Fact]
    public async Task Watch_only_delivers_keys_in_its_range()
    {
        var start = await RevisionAsync() + 1;
        await using var prefix = new WatchProbe(Store, WatchRequest.Prefix(P + "pods/", start));
        await using var single = new WatchProbe(Store, new WatchRequest(P + "pods/b", null, start));

        await PutAsync(P + "services/a", "no");
        await PutAsync(P + "pods-x", "no");
        var ra = await PutAsync(P + "pods/a", "yes-a");
        await PutAsync(P + "pods/b/child", "no for the single-key watch");
        var rb = await PutAsync(P + "pods/b", "yes-b");

        var events = await prefix.TakeAsync(3, "the three writes under pods/");
        Assert.Equal([P + "pods/a", P + "pods/b/child", P + "pods/b"], events.Select(e => e.Kv.Key));
        Assert.Equal(ra, events[0].Revision);
        AssertPut(await single.NextAsync("the write of pods/b"), P + "pods/b", "yes-b", rb, null);
    }

    [Fact]
    public async Task Watch_sees_a_multi_operation_transaction_as_events_of_one_revision_in_operation_order()
    {
        var start = await RevisionAsync() + 1;
        await using var watch = new WatchProbe(Store, WatchRequest.Prefix(P, start));
        var result = await Store.TxnAsync(new Txn([], [new PutOp(P + "z", B("1")), new PutOp(P + "a", B("2"))], []), Ct);
        var events = await watch.TakeAsync(2, "both puts");
        Assert.Equal([P + "z", P + "a"], events.Select(e => e.Kv.Key));
        Assert.All(events, e => Assert.Equal(result.Revision, e.Revision));
    }

    [Fact]
    public async Task Watch_from_a_compacted_revision_fails()
    {
        await PutAsync(P + "a", "1");
        var r2 = await PutAsync(P + "a", "2");
        var r3 = await PutAsync(P + "a", "3");
        await Within(Store.CompactAsync(r2, Ct), "compaction");

        var e = await Assert.ThrowsAsync<CompactedException>(async () =>
        {
            await foreach (var _ in Store.WatchAsync(WatchRequest.Prefix(P, r2), Ct))
            {
            }
        });
        Assert.Equal(r2, e.CompactedRevision);

        await using var watch = new WatchProbe(Store, WatchRequest.Prefix(P, r2 + 1));
        AssertPut(await watch.NextAsync("the first event after the compacted revision"), P + "a", "3", r3, "2");
    }

    [Fact]
    public async Task Watch_from_old_history_replays_every_event()
    {
        // Longer than any in-memory window a backend may keep: the catch-up has to read stored history.
        const int count = 2500;
        var start = await RevisionAsync() + 1;
        for (var batch = 0; batch < count / 100; batch++)
        {
            await Task.WhenAll(Enumerable.Range(batch * 100, 100).Select(i => PutAsync(P + $"k{i % 50:D2}", $"{i}")));
        }

        await using var watch = new WatchProbe(Store, WatchRequest.Prefix(P, start));
        var events = await watch.TakeAsync(count, "the whole history");
        Assert.Equal(Enumerable.Range(0, count).Select(i => start + i), events.Select(e => e.Revision));
        var last = new Dictionary<string, string>();
        foreach (var e in events)
        {
            Assert.Equal(last.GetValueOrDefault(e.Kv.Key), e.PrevKv is null ? null : S(e.PrevKv.Value));
            last[e.Kv.Key] = S(e.Kv.Value);
        }

        var live = await PutAsync(P + "k00", "live");
        AssertPut(await watch.NextAsync("the live event after catch-up"), P + "k00", "live", live, last[P + "k00"]);
    }

    [Fact]
    public async Task A_watcher_that_falls_behind_is_cut_off_and_others_are_unaffected()
    {
        const int buffer = 16;
        await ReopenAsync(new StoreTestOptions(WatchBufferSize: buffer));
        var first = await PutAsync(P + "k", "0");

        await using var slow = Store.WatchAsync(WatchRequest.Prefix(P, first), Ct).GetAsyncEnumerator();
        Assert.True(await Within(slow.MoveNextAsync().AsTask(), "first event of the slow watcher"));
        Assert.Equal(first, slow.Current.Revision);
        await using var fast = new WatchProbe(Store, WatchRequest.Prefix(P, first));

        const int writes = 10 * buffer;
        for (var i = 1; i <= writes; i++)
        {
            await PutAsync(P + "k", $"{i}");
        }

        var fastEvents = await fast.TakeAsync(writes + 1, "every write on the fast watcher");
        Assert.Equal(Enumerable.Range(0, writes + 1).Select(i => first + i), fastEvents.Select(e => e.Revision));

        var delivered = first;
        var lagged = await Assert.ThrowsAsync<WatchLaggedException>(async () =>
        {
            while (await Within(slow.MoveNextAsync().AsTask(), "the slow watcher's next event or its end"))
            {
                Assert.Equal(delivered + 1, slow.Current.Revision);
                delivered = slow.Current.Revision;
            }
        });
        Assert.True(delivered < first + writes, "the slow watcher should not have received every event");
        Assert.Equal(delivered, lagged.LastDelivered);

        // The store and the other watcher carry on.
        var after = await PutAsync(P + "k", "after");
        AssertPut(await fast.NextAsync("the write after the slow watcher was cut off"), P + "k", "after", after, $"{writes}");
    }

    [Fact]
    public async Task Watchers_started_while_writes_go_on_see_every_event_once_in_order()
    {
        const int writers = 4;
        const int perWriter = 400;
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<long>();
        var writes = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < perWriter; i++)
            {
                acknowledged.Add(await PutAsync(P + $"w{w}/{i % 20}", $"{i}"));
            }
        })).ToArray();

        // Start watchers from revisions that are acknowledged while the writers run (old, recent and just-written).
        var watchers = new List<(long Start, WatchProbe Probe)>();
        var first = await PutAsync(P + "first", "0");
        acknowledged.Add(first);
        watchers.Add((first, new WatchProbe(Store, WatchRequest.Prefix(P, first))));
        while (watchers.Count < 6)
        {
            var seen = acknowledged.ToArray();
            if (seen.Length >= watchers.Count * 250)
            {
                var start = seen.Max() - Random.Shared.Next(0, 100);
                watchers.Add((start, new WatchProbe(Store, WatchRequest.Prefix(P, start))));
            }
            else
            {
                await Task.WhenAny(Task.WhenAll(writes), Task.Delay(10));
                if (writes.All(t => t.IsCompleted))
                {
                    break;
                }
            }
        }

        await Within(Task.WhenAll(writes), "the writers");
        var all = acknowledged.Order().ToArray();
        try
        {
            foreach (var (start, probe) in watchers)
            {
                var expected = all.Where(r => r >= start).ToArray();
                var events = await probe.TakeAsync(expected.Length, $"every write from revision {start}");
                Assert.Equal(expected, events.Select(e => e.Revision));
            }
        }
        finally
        {
            foreach (var (_, probe) in watchers)
            {
                await probe.DisposeAsync();
            }
        }
    }
}
