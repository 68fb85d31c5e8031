using Korral.Storage.Contract;
using Xunit;

namespace Korral.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Create_if_missing_has_exactly_one_winner_among_concurrent_creators()
    {
        var key = P + "contended";
        var creators = Enumerable.Range(0, 16)
            .Select(i => Task.Run(() => Store.TxnAsync(Txn.Create(key, B($"creator-{i}")), Ct)))
            .ToArray();
        var results = await Within(Task.WhenAll(creators), "16 concurrent creates");

        var winner = Assert.Single(results, r => r.Succeeded);
        var stored = await GetAsync(key);
        Assert.NotNull(stored);
        Assert.Equal(winner.Revision, stored.ModRevision);
        Assert.Equal(1, stored.Version);
        foreach (var loser in results.Where(r => !r.Succeeded))
        {
            // The failure branch read the winner's value.
            var read = Assert.IsType<GetResult>(Assert.Single(loser.Results));
            var kv = Assert.Single(read.Range.Kvs);
            Assert.Equal(S(stored.Value), S(kv.Value));
            Assert.Equal(stored.ModRevision, kv.ModRevision);
        }
    }

    [Fact]
    public async Task Update_with_a_stale_mod_revision_fails_and_returns_the_current_value()
    {
        var key = P + "obj";
        var created = await PutAsync(key, "v1");
        var updated = await Store.TxnAsync(Txn.Update(key, created, B("v2")), Ct);
        Assert.True(updated.Succeeded);
        var put = Assert.IsType<PutResult>(Assert.Single(updated.Results));
        Assert.Equal("v1", S(put.PrevKv!.Value));

        var stale = await Store.TxnAsync(Txn.Update(key, created, B("v3")), Ct);
        Assert.False(stale.Succeeded);
        Assert.Equal(updated.Revision, stale.Revision);
        var current = Assert.Single(Assert.IsType<GetResult>(Assert.Single(stale.Results)).Range.Kvs);
        AssertKv(current, key, "v2", created, updated.Revision, 2);
        Assert.Equal(updated.Revision, await RevisionAsync());
    }

    [Fact]
    public async Task Delete_with_compare_only_deletes_the_expected_revision()
    {
        var key = P + "obj";
        var r1 = await PutAsync(key, "v1");
        var r2 = await PutAsync(key, "v2");

        var stale = await Store.TxnAsync(Txn.Delete(key, r1), Ct);
        Assert.False(stale.Succeeded);
        Assert.Equal("v2", S(Assert.Single(Assert.IsType<GetResult>(Assert.Single(stale.Results)).Range.Kvs).Value));

        var ok = await Store.TxnAsync(Txn.Delete(key, r2), Ct);
        Assert.True(ok.Succeeded);
        Assert.Equal(r2 + 1, ok.Revision);
        var deleted = Assert.Single(Assert.IsType<DeleteResult>(Assert.Single(ok.Results)).Deleted);
        AssertKv(deleted, key, "v2", r1, r2, 2);
        Assert.Null(await GetAsync(key));

        var missing = await Store.TxnAsync(Txn.Create(key, B("v3")), Ct);
        Assert.True(missing.Succeeded);
    }

    [Fact]
    public async Task A_multi_operation_transaction_gets_one_revision_and_reads_its_own_writes()
    {
        await PutAsync(P + "c", "old");
        var before = await RevisionAsync();
        var result = await Store.TxnAsync(new Txn(
            [Compare.Missing(P + "a")],
            [new PutOp(P + "a", B("a")), new PutOp(P + "b", B("b")), new DeleteOp(P + "c"), new GetOp(RangeRequest.Prefix(P))],
            []), Ct);

        Assert.True(result.Succeeded);
        Assert.Equal(before + 1, result.Revision);
        Assert.Equal(before + 1, await RevisionAsync());
        var read = Assert.IsType<GetResult>(result.Results[3]).Range;
        Assert.Equal(["a", "b"], read.Kvs.Select(kv => S(kv.Value)));
        Assert.All(read.Kvs, kv => Assert.Equal(before + 1, kv.ModRevision));
        Assert.Equal("old", S(Assert.Single(Assert.IsType<DeleteResult>(result.Results[2]).Deleted).Value));
    }

    [Fact]
    public async Task Transactions_that_write_nothing_do_not_create_a_revision()
    {
        var current = await PutAsync(P + "a", "1");

        var failed = await Store.TxnAsync(Txn.Create(P + "a", B("2")), Ct);
        Assert.False(failed.Succeeded);
        Assert.Equal(current, failed.Revision);

        var noopDelete = await Store.TxnAsync(new Txn([], [new DeleteOp(P + "missing")], []), Ct);
        Assert.True(noopDelete.Succeeded);
        Assert.Empty(Assert.IsType<DeleteResult>(Assert.Single(noopDelete.Results)).Deleted);
        Assert.Equal(current, noopDelete.Revision);

        var readOnly = await Store.TxnAsync(new Txn([], [new GetOp(new RangeRequest(P + "a"))], []), Ct);
        Assert.Equal(current, readOnly.Revision);
        Assert.Equal(current, await RevisionAsync());
        Assert.Equal(current + 1, await PutAsync(P + "b", "1"));
    }

    [Fact]
    public async Task Compares_on_version_and_create_revision_and_not_equal()
    {
        var key = P + "k";
        var created = await PutAsync(key, "1");
        await PutAsync(key, "2");

        async Task<bool> Holds(Compare compare) =>
            (await Store.TxnAsync(new Txn([compare], [], []), Ct)).Succeeded;

        Assert.True(await Holds(new Compare(key, CompareTarget.Version, CompareResult.Equal, 2)));
        Assert.True(await Holds(new Compare(key, CompareTarget.Version, CompareResult.Greater, 1)));
        Assert.True(await Holds(new Compare(key, CompareTarget.Version, CompareResult.Less, 3)));
        Assert.True(await Holds(new Compare(key, CompareTarget.CreateRevision, CompareResult.Equal, created)));
        Assert.True(await Holds(new Compare(key, CompareTarget.ModRevision, CompareResult.NotEqual, created)));
        Assert.False(await Holds(new Compare(key, CompareTarget.ModRevision, CompareResult.Less, created)));
        Assert.True(await Holds(new Compare(P + "missing", CompareTarget.Version, CompareResult.Equal, 0)));
    }

    [Fact]
    public async Task Putting_one_key_twice_in_a_transaction_is_rejected()
    {
        var key = P + "dup";
        await Assert.ThrowsAnyAsync<ArgumentException>(() =>
            Store.TxnAsync(new Txn([], [new PutOp(key, B("1")), new PutOp(key, B("2"))], []), Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() =>
            Store.TxnAsync(new Txn([], [new PutOp(key, B("1")), new DeleteOp(P, KeyRange.PrefixEnd(P))], []), Ct));
        Assert.Null(await GetAsync(key));
    }

    [Fact]
    public async Task Concurrent_writers_get_unique_consecutive_revisions_and_all_writes_are_durable()
    {
        const int writers = 8;
        const int perWriter = 200;
        var start = await RevisionAsync();
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var revisions = new List<long>(perWriter);
            for (var i = 0; i < perWriter; i++)
            {
                var r = await Store.TxnAsync(Txn.Create(P + $"w{w}/{i:D4}", B($"{w}:{i}")), Ct);
                Assert.True(r.Succeeded);
                revisions.Add(r.Revision);
            }

            return revisions;
        })).ToArray();
        var all = await Within(Task.WhenAll(tasks), "concurrent writers");

        foreach (var own in all)
        {
            Assert.Equal(own.Order(), own); // each writer sees its own writes in order
        }

        var revisions = all.SelectMany(r => r).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, writers * perWriter).Select(i => start + 1 + i), revisions);

        await ReopenAsync();
        var stored = await Store.RangeAsync(RangeRequest.Prefix(P), Ct);
        Assert.Equal(writers * perWriter, stored.Count);
        Assert.Equal(start + writers * perWriter, await RevisionAsync());
        Assert.All(stored.Kvs, kv =>
        {
            var parts = kv.Key[P.Length..].Split('/');
            Assert.Equal($"{parts[0][1..]}:{int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture)}", S(kv.Value));
        });
    }
}
