using System.Runtime.InteropServices;
using System.Threading.Channels;
using Korral.Storage.Contract;
using Microsoft.Data.Sqlite;

namespace Korral.Storage.Sqlite;

// The single writer: takes every queued request (up to MaxBatchSize), evaluates them in order against memory plus the
// batch's own earlier writes, commits all their rows in ONE SQLite transaction (one fsync), then applies them to memory,
// publishes the events and completes the callers. Nothing reader-visible changes before the commit is durable.
public sealed partial class SqliteStore
{
    private readonly SqliteConnection _db;
    private readonly Thread _writer;
    private readonly TaskCompletionSource _writerDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Exception? _fault;

    private SqliteCommand _insertRow = null!;
    private SqliteCommand _insertLease = null!;
    private SqliteCommand _deleteLease = null!;
    private SqliteCommand _setMeta = null!;

    /// <summary>What one batch has done so far; nothing here is visible to readers until it is committed.</summary>
    private sealed class Batch(long revision)
    {
        public long CommittedRevision { get; } = revision;

        /// <summary>The newest revision assigned so far.</summary>
        public long Revision { get; set; } = revision;

        /// <summary>Keys written by the batch: their new value, or null when deleted.</summary>
        public Dictionary<string, KeyValue?> Overlay { get; } = new(StringComparer.Ordinal);

        /// <summary>One event per row to insert, in revision order.</summary>
        public List<WatchEvent> Events { get; } = [];

        public List<(long Id, long TtlMs, long ExpiresAtMs)> GrantedLeases { get; } = [];

        public List<long> RevokedLeases { get; } = [];

        public bool LeaseSequenceChanged { get; set; }

        public bool LeasesChanged { get; set; }

        public long? CompactTo { get; set; }

        public List<CompactRequest> CompactWaiters { get; } = [];

        public bool NeedsCommit =>
            Events.Count > 0 || GrantedLeases.Count > 0 || RevokedLeases.Count > 0 || LeaseSequenceChanged || CompactTo is not null;
    }

    private void WriterLoop()
    {
        var reader = _queue.Reader;
        var items = new List<WriteRequest>(_options.MaxBatchSize);
        try
        {
            // Compaction shares the writer with batches. While writes keep coming it gets about a third of the
            // writer's time: after a step that took t, only batches run for the next 2t (also when the queue is
            // momentarily empty between a client's writes). With no writes since its last step it runs flat out.
            var batchesSinceStep = false;
            while (true)
            {
                while (items.Count < _options.MaxBatchSize && reader.TryRead(out var item))
                {
                    items.Add(item);
                }

                if (items.Count > 0)
                {
                    RunBatch(items);
                    items.Clear();
                    batchesSinceStep = true;
                    if (Volatile.Read(ref _writerCheckpointRequested) != 0)
                    {
                        FinishCheckpoint();
                    }
                }
                else if (reader.Completion.IsCompleted)
                {
                    break; // closed by DisposeAsync and drained; a running compaction is abandoned
                }
                else if (_compaction is null)
                {
                    if (Volatile.Read(ref _writerCheckpointRequested) != 0)
                    {
                        FinishCheckpoint();
                    }

                    var wait = reader.WaitToReadAsync();
                    if (!wait.IsCompleted)
                    {
                        wait.AsTask().Wait();
                    }

                    continue;
                }

                if (_compaction is null)
                {
                    continue;
                }

                var now = Environment.TickCount64;
                if (now >= _nextCompactionStepAt || !batchesSinceStep)
                {
                    CompactionStep();
                    batchesSinceStep = false;
                    _nextCompactionStepAt = Environment.TickCount64 + 2 * (Environment.TickCount64 - now);
                }
                else if (items.Count == 0 && reader.Count == 0)
                {
                    // Paced: give writes the rest of their turn before the next step.
                    var wait = reader.WaitToReadAsync();
                    if (!wait.IsCompleted)
                    {
                        wait.AsTask().Wait(TimeSpan.FromMilliseconds(_nextCompactionStepAt - now));
                    }
                }
            }
        }
        catch (Exception e)
        {
            // A bug in the writer itself: fail everything rather than hang callers.
            Volatile.Write(ref _fault, e);
            Log($"writer stopped by an unexpected error: {e}");
            foreach (var item in items)
            {
                item.Fail(Faulted(e));
            }

            _queue.Writer.TryComplete();
            while (reader.TryRead(out var item))
            {
                item.Fail(Faulted(e));
            }
        }
        finally
        {
            if (_compaction is { } job)
            {
                _compaction = null;
                foreach (var waiter in job.Waiters)
                {
                    waiter.Fail(new ObjectDisposedException(nameof(SqliteStore), "The store was closed before compaction finished."));
                }
            }

            _writerDone.TrySetResult();
        }
    }

    private void RunBatch(List<WriteRequest> items)
    {
        var claimed = new List<WriteRequest>(items.Count);
        foreach (var item in items)
        {
            if (item.TryClaim())
            {
                claimed.Add(item);
            }
        }

        if (Volatile.Read(ref _fault) is { } fault)
        {
            foreach (var item in claimed)
            {
                item.Fail(Faulted(fault));
            }

            return;
        }

        var batch = new Batch(_revision);
        foreach (var item in claimed)
        {
            try
            {
                Execute(batch, item);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                item.SetError(e); // validated before any change, so the request changed nothing
            }
        }

        if (batch.NeedsCommit)
        {
            try
            {
                Commit(batch);
            }
            catch (Exception e)
            {
                // The outcome on disk is unknown (e.g. the fsync failed): stop accepting writes, as etcd does.
                Volatile.Write(ref _fault, e);
                Log($"commit failed, the store is now read-only until reopened: {e.Message}");
                foreach (var item in claimed)
                {
                    item.Fail(Faulted(e));
                }

                return;
            }
        }

        Apply(batch);
        foreach (var item in claimed)
        {
            if (item is not CompactRequest c || !batch.CompactWaiters.Contains(c))
            {
                item.Complete();
            }
        }

        if (batch.LeasesChanged)
        {
            ScheduleLeaseTimer();
        }
    }

    private void Execute(Batch batch, WriteRequest item)
    {
        switch (item)
        {
            case TxnRequest txn:
                txn.SetResult(ExecuteTxn(batch, txn.Txn));
                break;
            case GrantLeaseRequest grant:
                grant.SetResult(ExecuteGrant(batch, grant.Ttl));
                break;
            case RevokeLeaseRequest revoke:
                Revoke(batch, revoke.Lease);
                revoke.SetResult(true);
                break;
            case ExpireLeasesRequest expire:
                ExpireLeases(batch);
                expire.SetResult(true);
                break;
            case CompactRequest compact:
                ExecuteCompact(batch, compact);
                break;
            default:
                throw new InvalidOperationException($"unknown write request {item.GetType().Name}");
        }
    }

    private void ExecuteCompact(Batch batch, CompactRequest request)
    {
        var floor = Math.Max(_compacted, batch.CompactTo ?? 0);
        if (request.Revision > batch.CommittedRevision)
        {
            throw new FutureRevisionException(request.Revision, batch.CommittedRevision);
        }

        if (request.Revision <= floor)
        {
            throw new CompactedException(request.Revision, floor);
        }

        batch.CompactTo = request.Revision;
        batch.CompactWaiters.Add(request);
    }

    private void Commit(Batch batch)
    {
        using var tx = _db.BeginTransaction();
        _insertRow.Transaction = tx;
        _insertLease.Transaction = tx;
        _deleteLease.Transaction = tx;
        _setMeta.Transaction = tx;
        var p = _insertRow.Parameters;
        foreach (var e in batch.Events)
        {
            var kv = e.Kv;
            p[0].Value = kv.ModRevision;
            p[1].Value = kv.Key;
            p[2].Value = kv.CreateRevision;
            p[3].Value = e.PrevKv?.ModRevision ?? 0;
            p[4].Value = kv.Version;
            p[5].Value = e.Type == WatchEventType.Delete ? 1 : 0;
            p[6].Value = kv.Lease;
            p[7].Value = e.Type == WatchEventType.Delete ? DBNull.Value : AsArray(kv.Value);
            _insertRow.ExecuteNonQuery();
        }

        foreach (var (id, ttlMs, expiresAtMs) in batch.GrantedLeases)
        {
            _insertLease.Parameters[0].Value = id;
            _insertLease.Parameters[1].Value = ttlMs;
            _insertLease.Parameters[2].Value = expiresAtMs;
            _insertLease.ExecuteNonQuery();
        }

        foreach (var id in batch.RevokedLeases)
        {
            _deleteLease.Parameters[0].Value = id;
            _deleteLease.ExecuteNonQuery();
        }

        if (batch.Revision != batch.CommittedRevision)
        {
            SetMeta(SqliteSchema.MetaRevision, batch.Revision);
        }

        if (batch.LeaseSequenceChanged)
        {
            SetMeta(SqliteSchema.MetaLeaseSequence, _leaseSequence);
        }

        if (batch.CompactTo is { } compactTo)
        {
            SetMeta(SqliteSchema.MetaCompacted, compactTo);
        }

        tx.Commit();
        Interlocked.Increment(ref _commitsSinceCheckpoint);
    }

    private void SetMeta(string name, long value)
    {
        _setMeta.Parameters[0].Value = name;
        _setMeta.Parameters[1].Value = value;
        _setMeta.ExecuteNonQuery();
    }

    private static byte[] AsArray(ReadOnlyMemory<byte> value) =>
        MemoryMarshal.TryGetArray(value, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : value.ToArray();

    /// <summary>Makes a committed batch visible: memory, then the event window, then watchers.</summary>
    private void Apply(Batch batch)
    {
        Watcher[] watchers;
        lock (_stateLock)
        {
            foreach (var (key, kv) in batch.Overlay)
            {
                if (kv is null)
                {
                    _index.Remove(key);
                }
                else
                {
                    _index.Set(kv);
                }
            }

            _window.Append(batch.Events);
            Volatile.Write(ref _revision, batch.Revision);
            if (batch.CompactTo is { } compactTo)
            {
                Volatile.Write(ref _compacted, compactTo); // before any row goes: readers check it after reading
            }

            watchers = _watchers;
        }

        if (batch.Events.Count > 0 && watchers.Length > 0)
        {
            Publish(batch.Events, watchers);
        }

        if (batch.CompactTo is { } target)
        {
            StartCompaction(target, batch.CompactWaiters);
        }
    }

    private void PrepareWriterCommands()
    {
        _insertRow = Prepare(
            "INSERT INTO kv (revision, key, create_revision, prev_revision, version, deleted, lease, value) VALUES ($r, $k, $c, $p, $v, $d, $l, $val);",
            "$r", "$k", "$c", "$p", "$v", "$d", "$l", "$val");
        _insertLease = Prepare("INSERT INTO lease (id, ttl_ms, expires_at_ms) VALUES ($id, $ttl, $exp);", "$id", "$ttl", "$exp");
        _deleteLease = Prepare("DELETE FROM lease WHERE id = $id;", "$id");
        _setMeta = Prepare("INSERT INTO meta (name, value) VALUES ($n, $v) ON CONFLICT (name) DO UPDATE SET value = excluded.value;", "$n", "$v");

        SqliteCommand Prepare(string sql, params string[] parameters)
        {
            var cmd = _db.CreateCommand();
            cmd.CommandText = sql;
            foreach (var name in parameters)
            {
                cmd.Parameters.Add(new SqliteParameter(name, DBNull.Value));
            }

            return cmd;
        }
    }

    private void DisposeWriterCommands()
    {
        _insertRow.Dispose();
        _insertLease.Dispose();
        _deleteLease.Dispose();
        _setMeta.Dispose();
    }
}
