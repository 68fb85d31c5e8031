using Korral.Storage.Contract;

namespace Korral.ApiServer.Registry;

/// <summary>
/// Shares store leases between objects with a time-to-live (Events): one lease per minute of creation time, rather than
/// one per object, so that expiring an hour of Events is a handful of lease revocations.
/// </summary>
public sealed class LeasePool(IKeyValueStore store, TimeProvider time)
{
    private static readonly TimeSpan Bucket = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<TimeSpan, (long Lease, DateTimeOffset GrantedAt)> _current = [];

    public async Task<long> LeaseForAsync(TimeSpan ttl, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            if (_current.TryGetValue(ttl, out var entry) && now - entry.GrantedAt < Bucket)
            {
                return entry.Lease;
            }

            // The lease outlives the newest object on it by up to one bucket: objects live at least their TTL.
            var lease = await store.GrantLeaseAsync(ttl + Bucket, cancellationToken);
            _current[ttl] = (lease, now);
            return lease;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets a lease the store no longer knows (expired or revoked), so the next request grants a new one.</summary>
    public async Task ForgetAsync(long lease, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            foreach (var (ttl, entry) in _current.ToList())
            {
                if (entry.Lease == lease)
                {
                    _current.Remove(ttl);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
