using Korral.Storage.Contract;
using Xunit;

namespace Korral.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Lease_expiry_deletes_its_keys_with_delete_events()
    {
        var lease = await Store.GrantLeaseAsync(TimeSpan.FromSeconds(1), Ct);
        var start = await RevisionAsync() + 1;
        await using var watch = new WatchProbe(Store, WatchRequest.Prefix(P, start));
        await PutAsync(P + "event-1", "e1", lease);
        await PutAsync(P + "event-2", "e2", lease);
        await PutAsync(P + "kept", "no lease");

        var puts = await watch.TakeAsync(3, "the three puts");
        Assert.All(puts.Take(2), e => Assert.Equal(lease, e.Kv.Lease));

        var deletes = await watch.TakeAsync(2, "the deletes caused by the lease expiring");
        Assert.Equal([P + "event-1", P + "event-2"], deletes.Select(e => e.Kv.Key).Order(StringComparer.Ordinal));
        Assert.All(deletes, e => Assert.Equal(WatchEventType.Delete, e.Type));
        Assert.Equal(deletes[0].Revision, deletes[1].Revision);
        Assert.Equal(["e1", "e2"], deletes.Select(e => S(e.PrevKv!.Value)).Order(StringComparer.Ordinal));

        var left = await Store.RangeAsync(RangeRequest.Prefix(P), Ct);
        Assert.Equal([P + "kept"], left.Kvs.Select(kv => kv.Key));
        await Assert.ThrowsAsync<LeaseNotFoundException>(() => Store.RevokeLeaseAsync(lease, Ct));
    }

    [Fact]
    public async Task Revoking_a_lease_deletes_its_keys_at_once()
    {
        var lease = await Store.GrantLeaseAsync(TimeSpan.FromMinutes(10), Ct);
        await PutAsync(P + "a", "1", lease);
        await PutAsync(P + "b", "2", lease);
        await PutAsync(P + "c", "3", lease);
        await PutAsync(P + "c", "detached"); // a put without the lease detaches the key from it
        var before = await RevisionAsync();

        await Store.RevokeLeaseAsync(lease, Ct);

        Assert.Equal(before + 1, await RevisionAsync());
        var left = await Store.RangeAsync(RangeRequest.Prefix(P), Ct);
        Assert.Equal(["detached"], left.Kvs.Select(kv => S(kv.Value)));
        await Assert.ThrowsAsync<LeaseNotFoundException>(() => Store.RevokeLeaseAsync(lease, Ct));
    }

    [Fact]
    public async Task Putting_with_an_unknown_lease_fails_and_writes_nothing()
    {
        var before = await PutAsync(P + "a", "1");
        var e = await Assert.ThrowsAsync<LeaseNotFoundException>(() =>
            Store.TxnAsync(new Txn([], [new PutOp(P + "b", B("2")), new PutOp(P + "c", B("3"), 987654321)], []), Ct));
        Assert.Equal(987654321, e.Lease);
        Assert.Equal(before, await RevisionAsync());
        Assert.Null(await GetAsync(P + "b"));
    }

    [Fact]
    public async Task Leases_survive_a_restart()
    {
        var shortLease = await Store.GrantLeaseAsync(TimeSpan.FromSeconds(2), Ct);
        var longLease = await Store.GrantLeaseAsync(TimeSpan.FromMinutes(10), Ct);
        await PutAsync(P + "short", "s", shortLease);
        await PutAsync(P + "long", "l", longLease);
        var start = await RevisionAsync() + 1;

        await ReopenAsync();
        await using var watch = new WatchProbe(Store, WatchRequest.Prefix(P, start));
        Assert.Equal(longLease, (await GetAsync(P + "long"))!.Lease);

        var expired = await watch.NextAsync("the short lease expiring after the restart");
        Assert.Equal(WatchEventType.Delete, expired.Type);
        Assert.Equal(P + "short", expired.Kv.Key);

        await Store.RevokeLeaseAsync(longLease, Ct);
        var revoked = await watch.NextAsync("the revocation of the long lease");
        Assert.Equal(WatchEventType.Delete, revoked.Type);
        Assert.Equal(P + "long", revoked.Kv.Key);

        // Lease ids are never reused.
        var next = await Store.GrantLeaseAsync(TimeSpan.FromMinutes(1), Ct);
        Assert.NotEqual(shortLease, next);
        Assert.NotEqual(longLease, next);
    }
}
