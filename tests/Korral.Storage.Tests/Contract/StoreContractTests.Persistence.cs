using Korral.Storage.Contract;
using Xunit;

namespace Korral.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Values_and_revisions_survive_a_restart()
    {
        var created = await PutAsync(P + "a", "1");
        var updated = await PutAsync(P + "a", "2");
        await PutAsync(P + "b", "1");
        var last = await DeleteAsync(P + "b");
        var before = await Store.RangeAsync(RangeRequest.Prefix(P), Ct);

        await ReopenAsync();

        Assert.Equal(last, await RevisionAsync());
        var after = await Store.RangeAsync(RangeRequest.Prefix(P), Ct);
        Assert.Equal(Describe(before), Describe(after));
        AssertKv(await GetAsync(P + "a"), P + "a", "2", created, updated, 2);
        AssertKv(await GetAsync(P + "a", created), P + "a", "1", created, created, 1);
        Assert.Equal(last + 1, await PutAsync(P + "c", "new"));
    }

    [Fact]
    public async Task Revisions_continue_after_a_restart_even_when_compaction_removed_the_newest_row()
    {
        await PutAsync(P + "a", "1");
        var deleted = await DeleteAsync(P + "a");
        await Within(Store.CompactAsync(deleted, Ct), "compaction");

        await ReopenAsync();

        Assert.Equal(deleted, await RevisionAsync());
        Assert.Equal(deleted, Store.CompactedRevision);
        Assert.Equal(deleted + 1, await PutAsync(P + "a", "again"));
        await Assert.ThrowsAsync<CompactedException>(() => Store.RangeAsync(new RangeRequest(P + "a", Revision: deleted - 1), Ct));
    }

    [Fact]
    public async Task A_watch_after_a_restart_resumes_from_stored_history()
    {
        var r1 = await PutAsync(P + "a", "1");
        var r2 = await PutAsync(P + "a", "2");
        var r3 = await DeleteAsync(P + "a");

        await ReopenAsync();

        await using var watch = new WatchProbe(Store, WatchRequest.Prefix(P, r1));
        var events = await watch.TakeAsync(3, "history written before the restart");
        AssertPut(events[0], P + "a", "1", r1, null);
        AssertPut(events[1], P + "a", "2", r2, "1");
        AssertDelete(events[2], P + "a", r3, "2");
    }
}
