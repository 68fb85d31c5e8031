using Korral.Storage.Contract;

namespace Korral.Storage.Sqlite;

/// <summary>
/// A unit of work queued for the writer. The writer claims it before executing it; a caller whose token fires first
/// cancels it instead, so <see cref="OperationCanceledException"/> always means "not executed".
/// </summary>
internal abstract class WriteRequest
{
    private const int Queued = 0;
    private const int Claimed = 1;
    private const int Cancelled = 2;

    private int _state;
    private CancellationTokenRegistration _registration;

    /// <summary>Called by the writer: true when the request is now its to execute.</summary>
    public bool TryClaim()
    {
        if (Interlocked.CompareExchange(ref _state, Claimed, Queued) != Queued)
        {
            return false;
        }

        _registration.Dispose();
        return true;
    }

    /// <summary>Publishes the outcome recorded during execution (after the commit).</summary>
    public abstract void Complete();

    /// <summary>Fails the request (nothing it did became durable).</summary>
    public abstract void Fail(Exception error);

    /// <summary>Records a failure of this request alone (it changed nothing); published by <see cref="Complete"/>.</summary>
    public abstract void SetError(Exception error);

    protected void WatchCancellation(CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.Register(static (state, token) =>
            {
                var request = (WriteRequest)state!;
                if (Interlocked.CompareExchange(ref request._state, Cancelled, Queued) == Queued)
                {
                    request.Cancel(token);
                }
            }, this);
        }
    }

    protected abstract void Cancel(CancellationToken cancellationToken);
}

/// <summary>A request whose caller awaits a <typeparamref name="T"/>.</summary>
internal abstract class WriteRequest<T> : WriteRequest
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;
    private Exception? _error;

    protected WriteRequest(CancellationToken cancellationToken) => WatchCancellation(cancellationToken);

    public Task<T> Task => _completion.Task;

    /// <summary>Records the result; published by <see cref="Complete"/> once the batch is durable.</summary>
    public void SetResult(T result) => _result = result;

    public override void SetError(Exception error) => _error = error;

    public override void Complete()
    {
        if (_error is not null)
        {
            _completion.TrySetException(_error);
        }
        else
        {
            _completion.TrySetResult(_result!);
        }
    }

    public override void Fail(Exception error) => _completion.TrySetException(error);

    protected override void Cancel(CancellationToken cancellationToken) => _completion.TrySetCanceled(cancellationToken);
}

internal sealed class TxnRequest(Txn txn, CancellationToken cancellationToken) : WriteRequest<TxnResult>(cancellationToken)
{
    public Txn Txn { get; } = txn;
}

internal sealed class GrantLeaseRequest(TimeSpan ttl, CancellationToken cancellationToken) : WriteRequest<long>(cancellationToken)
{
    public TimeSpan Ttl { get; } = ttl;
}

internal sealed class RevokeLeaseRequest(long lease, CancellationToken cancellationToken) : WriteRequest<bool>(cancellationToken)
{
    public long Lease { get; } = lease;
}

/// <summary>Queued by the lease timer: revokes every lease whose expiry has passed.</summary>
internal sealed class ExpireLeasesRequest() : WriteRequest<bool>(CancellationToken.None);

/// <summary>Completes when compaction to <see cref="Revision"/> has deleted its rows and reclaimed their pages.</summary>
internal sealed class CompactRequest(long revision, CancellationToken cancellationToken) : WriteRequest<bool>(cancellationToken)
{
    public long Revision { get; } = revision;
}
