namespace Korral.Storage.Contract;

/// <summary>The requested revision has been compacted away (etcd's ErrCompacted); the API answers 410 Gone.</summary>
public sealed class CompactedException(long requested, long compacted)
    : Exception($"required revision {requested} has been compacted (compacted revision {compacted})")
{
    public long Requested { get; } = requested;

    public long CompactedRevision { get; } = compacted;
}

/// <summary>The requested revision is newer than the store's current revision (etcd's ErrFutureRev).</summary>
public sealed class FutureRevisionException(long requested, long current)
    : Exception($"required revision {requested} is a future revision (current revision {current})")
{
    public long Requested { get; } = requested;

    public long Current { get; } = current;
}

/// <summary>A watcher fell too far behind and was cut off; it must re-list and watch again.</summary>
public sealed class WatchLaggedException(long lastDelivered)
    : Exception($"watcher fell behind after revision {lastDelivered} and was closed")
{
    public long LastDelivered { get; } = lastDelivered;
}

/// <summary>A put or revoke named a lease that does not exist (never granted, expired or revoked); etcd's ErrLeaseNotFound.</summary>
public sealed class LeaseNotFoundException(long lease)
    : Exception($"lease {lease} not found")
{
    public long Lease { get; } = lease;
}
