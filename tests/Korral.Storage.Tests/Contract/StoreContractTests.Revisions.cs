using Korral.Storage.Contract;
using Xunit;

namespace Korral.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Revisions_increase_by_one_per_write()
    {
        var before = await RevisionAsync();
        var r1 = await PutAsync(P + "a", "1");
        var r2 = await PutAsync(P + "b", "1");
        var r3 = await PutAsync(P + "a", "2");
        Assert.True(before >= 1, "revision 0 is never reported (etcd starts at 1)");
        Assert.True(r1 > before);
        Assert.Equal(r1 + 1, r2);
        Assert.Equal(r2 + 1, r3);
        Assert.Equal(r3, await RevisionAsync());
    }

    [Fact]
    public async Task Create_mod_and_version_follow_etcd_semantics()
    {
        var k = P + "k";
        var created = await PutAsync(k, "v1");
        AssertKv(await GetAsync(k), k, "v1", created, created, 1);

        var updated = await PutAsync(k, "v2");
        AssertKv(await GetAsync(k), k, "v2", created, updated, 2);

        var deleted = await DeleteAsync(k);
        Assert.Equal(updated + 1, deleted);
        Assert.Null(await GetAsync(k));

        // Re-creating after a delete starts a new life: new create revision, version back to 1.
        var recreated = await PutAsync(k, "v3");
        AssertKv(await GetAsync(k), k, "v3", recreated, recreated, 1);
    }

    [Fact]
    public async Task Range_of_a_missing_key_is_empty_at_the_current_revision()
    {
        var current = await PutAsync(P + "other", "x");
        var result = await Store.RangeAsync(new RangeRequest(P + "missing"), Ct);
        Assert.Empty(result.Kvs);
        Assert.Equal(0, result.Count);
        Assert.False(result.More);
        Assert.Equal(current, result.Revision);
    }

    [Fact]
    public async Task Range_over_a_prefix_is_in_key_order_with_limit_count_and_more()
    {
        foreach (var name in new[] { "c", "a", "e", "b", "d" })
        {
            await PutAsync(P + "pods/" + name, name);
        }

        await PutAsync(P + "pods-other/x", "not in the prefix");
        await PutAsync(P + "pod", "not in the prefix");

        var all = await Store.RangeAsync(RangeRequest.Prefix(P + "pods/"), Ct);
        Assert.Equal(["a", "b", "c", "d", "e"], all.Kvs.Select(kv => S(kv.Value)));
        Assert.Equal(5, all.Count);
        Assert.False(all.More);

        var limited = await Store.RangeAsync(RangeRequest.Prefix(P + "pods/", limit: 2), Ct);
        Assert.Equal(["a", "b"], limited.Kvs.Select(kv => S(kv.Value)));
        Assert.Equal(5, limited.Count);
        Assert.True(limited.More);

        var exact = await Store.RangeAsync(RangeRequest.Prefix(P + "pods/", limit: 5), Ct);
        Assert.Equal(5, exact.Kvs.Count);
        Assert.False(exact.More);

        // Paging as the API server does: continue from the last key + "\0".
        var next = await Store.RangeAsync(new RangeRequest(limited.Kvs[^1].Key + "\0", KeyRange.PrefixEnd(P + "pods/"), Limit: 2), Ct);
        Assert.Equal(["c", "d"], next.Kvs.Select(kv => S(kv.Value)));
        Assert.Equal(3, next.Count);
        Assert.True(next.More);

        var counted = await Store.RangeAsync(RangeRequest.Prefix(P + "pods/") with { CountOnly = true }, Ct);
        Assert.Empty(counted.Kvs);
        Assert.Equal(5, counted.Count);

        var between = await Store.RangeAsync(new RangeRequest(P + "pods/b", P + "pods/d"), Ct);
        Assert.Equal(["b", "c"], between.Kvs.Select(kv => S(kv.Value)));
    }

    [Fact]
    public async Task Range_at_a_past_revision_returns_the_values_of_then()
    {
        var a = P + "a";
        var b = P + "b";
        var r1 = await PutAsync(a, "a1");
        var r2 = await PutAsync(a, "a2");
        var r3 = await PutAsync(b, "b1");
        var r4 = await DeleteAsync(a);
        await PutAsync(b, "b2");

        async Task<string[]> At(long revision)
        {
            var result = await Store.RangeAsync(RangeRequest.Prefix(P, revision), Ct);
            Assert.Equal(revision, result.Revision);
            Assert.Equal(result.Kvs.Count, result.Count);
            return result.Kvs.Select(kv => $"{kv.Key[P.Length..]}={S(kv.Value)}").ToArray();
        }

        Assert.Equal(["a=a1"], await At(r1));
        Assert.Equal(["a=a2"], await At(r2));
        Assert.Equal(["a=a2", "b=b1"], await At(r3));
        Assert.Equal(["b=b1"], await At(r4));
        AssertKv(await GetAsync(a, r2), a, "a2", r1, r2, 2);
        Assert.Null(await GetAsync(a, r4));

        var limited = await Store.RangeAsync(RangeRequest.Prefix(P, r3, limit: 1), Ct);
        Assert.Single(limited.Kvs);
        Assert.Equal(2, limited.Count);
        Assert.True(limited.More);
    }

    [Fact]
    public async Task Range_at_a_future_revision_fails()
    {
        var current = await PutAsync(P + "a", "1");
        var e = await Assert.ThrowsAsync<FutureRevisionException>(() => Store.RangeAsync(new RangeRequest(P + "a", Revision: current + 1), Ct));
        Assert.Equal(current + 1, e.Requested);
    }

    [Fact]
    public async Task Compaction_discards_older_history_but_keeps_the_compacted_revision_readable()
    {
        var a = P + "a";
        var r1 = await PutAsync(a, "1");
        var r2 = await PutAsync(a, "2");
        await PutAsync(P + "gone", "x");
        var r4 = await DeleteAsync(P + "gone");
        var r5 = await PutAsync(a, "3");

        await Within(Store.CompactAsync(r4, Ct), "compaction");
        Assert.Equal(r4, Store.CompactedRevision);

        var e = await Assert.ThrowsAsync<CompactedException>(() => Store.RangeAsync(new RangeRequest(a, Revision: r2), Ct));
        Assert.Equal(r4, e.CompactedRevision);
        await Assert.ThrowsAsync<CompactedException>(() => Store.RangeAsync(new RangeRequest(a, Revision: r1), Ct));

        var atCompacted = await Store.RangeAsync(RangeRequest.Prefix(P, r4), Ct);
        var only = Assert.Single(atCompacted.Kvs);
        AssertKv(only, a, "2", r1, r2, 2);
        AssertKv(await GetAsync(a), a, "3", r1, r5, 3);

        await Assert.ThrowsAsync<CompactedException>(() => Store.CompactAsync(r4, Ct));
        await Assert.ThrowsAsync<CompactedException>(() => Store.CompactAsync(r2, Ct));
        await Assert.ThrowsAsync<FutureRevisionException>(() => Store.CompactAsync(r5 + 1, Ct));
    }

    [Fact]
    public async Task Compaction_to_the_current_revision_keeps_every_live_key()
    {
        for (var i = 0; i < 20; i++)
        {
            for (var v = 0; v < 5; v++)
            {
                await PutAsync(P + $"k{i:D2}", $"v{v}");
            }

            if (i % 4 == 0)
            {
                await DeleteAsync(P + $"k{i:D2}");
            }
        }

        var before = await Store.RangeAsync(RangeRequest.Prefix(P), Ct);
        var current = await RevisionAsync();
        await Within(Store.CompactAsync(current, Ct), "compaction");
        var after = await Store.RangeAsync(RangeRequest.Prefix(P), Ct);
        var atCurrent = await Store.RangeAsync(RangeRequest.Prefix(P, current), Ct);
        Assert.Equal(15, before.Kvs.Count);
        Assert.Equal(Describe(before), Describe(after));
        Assert.Equal(Describe(before), Describe(atCurrent));

        // Writes continue normally, with the revisions and versions of before.
        var next = await PutAsync(P + "k01", "again");
        Assert.Equal(current + 1, next);
        Assert.Equal(6, (await GetAsync(P + "k01"))!.Version);
    }

    protected static string[] Describe(RangeResult result) =>
        result.Kvs.Select(kv => $"{kv.Key}={S(kv.Value)}@{kv.CreateRevision}/{kv.ModRevision}/{kv.Version}").ToArray();
}
