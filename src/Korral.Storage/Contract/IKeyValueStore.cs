namespace Korral.Storage.Contract;

/// <summary>
/// The store contract, with etcd v3 semantics so that etcd itself is a drop-in backend:
/// one global monotonic revision; each key has create/mod revisions and a version; ranges (optionally at a past
/// revision, with a limit); compare-and-swap transactions; ordered watches from a revision with previous values;
/// compaction; leases whose expiry deletes the keys attached to them (used for Events).
/// Every backend passes the contract suite in tests/Korral.Storage.Tests.
/// </summary>
public interface IKeyValueStore : IAsyncDisposable
{
    /// <summary>
    /// The newest committed revision. As in etcd, a new store is at revision 1 (the first write gets 2), so no read
    /// ever reports revision 0, which Kubernetes reserves for "any resourceVersion".
    /// </summary>
    ValueTask<long> GetCurrentRevisionAsync(CancellationToken cancellationToken);

    /// <summary>The highest revision that has been compacted (0 when nothing has been).</summary>
    long CompactedRevision { get; }

    Task<RangeResult> RangeAsync(RangeRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Runs a transaction atomically. The returned task completes only once the write is durable. A put naming an
    /// unknown lease fails the whole transaction with <see cref="LeaseNotFoundException"/>; putting one key twice (or
    /// putting and deleting it) in one branch is rejected with <see cref="ArgumentException"/>, as etcd does.
    /// </summary>
    Task<TxnResult> TxnAsync(Txn txn, CancellationToken cancellationToken);

    /// <summary>
    /// Streams every change in the watched range from the start revision, in revision order, until cancelled.
    /// Throws <see cref="CompactedException"/> (on first enumeration) when the start is compacted, and
    /// <see cref="WatchLaggedException"/> when the consumer falls too far behind.
    /// </summary>
    IAsyncEnumerable<WatchEvent> WatchAsync(WatchRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Discards history below <paramref name="revision"/>; the state at <paramref name="revision"/> (the newest value of
    /// every key live then) and everything after it are kept. Fails with <see cref="CompactedException"/> when
    /// <paramref name="revision"/> is not above the compacted revision and <see cref="FutureRevisionException"/> when it
    /// is above the current one.
    /// </summary>
    Task CompactAsync(long revision, CancellationToken cancellationToken);

    /// <summary>Grants a lease that expires after <paramref name="ttl"/>; keys put with it are deleted when it expires.</summary>
    Task<long> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Revokes a lease at once, deleting its keys (in one revision); <see cref="LeaseNotFoundException"/> if unknown.</summary>
    Task RevokeLeaseAsync(long lease, CancellationToken cancellationToken);
}
