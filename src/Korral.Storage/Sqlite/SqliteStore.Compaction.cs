using Microsoft.Data.Sqlite;

namespace Korral.Storage.Sqlite;

// Compaction: the compacted revision is persisted and published first (so readers of older history fail cleanly), then
// the writer deletes superseded rows in small steps interleaved with write batches, then reclaims freed pages with
// incremental vacuum, and the background checkpointer copies the WAL back into the database (PASSIVE: never blocks).
public sealed partial class SqliteStore
{
    private const int VacuumPagesPerStep = 512;

    /// <summary>WAL frames (pages) above which the writer finishes a checkpoint the background could not (16 MiB).</summary>
    private const long WalFramesBeforeWriterCheckpoint = 4096;

    private CompactionJob? _compaction; // writer thread only
    private readonly ITimer _compactionTimer;
    private readonly List<(DateTimeOffset At, long Revision)> _compactionSamples = [];
    private Task? _checkpointer;
    private readonly SemaphoreSlim _checkpointSignal = new(0);
    private int _commitsSinceCheckpoint;
    private int _writerCheckpointRequested;
    private long _nextCompactionStepAt; // writer thread only

    private sealed class CompactionJob(long target)
    {
        public long Target { get; set; } = target;

        public long Cursor { get; set; }

        public bool Deleting { get; set; } = true;

        public long Deleted { get; set; }

        public long StartedAt { get; } = Environment.TickCount64;

        public List<CompactRequest> Waiters { get; } = [];
    }

    private void StartCompaction(long target, List<CompactRequest> waiters)
    {
        if (_compaction is { } job)
        {
            // A newer target while one runs: rescan from the start (rows kept for the old target may now go).
            job.Target = target;
            job.Cursor = 0;
            job.Deleting = true;
        }
        else
        {
            _compaction = job = new CompactionJob(target);
        }

        job.Waiters.AddRange(waiters);
    }

    /// <summary>One bounded step of the running compaction (writer thread).</summary>
    private void CompactionStep()
    {
        var job = _compaction!;
        try
        {
            if (job.Deleting)
            {
                DeleteStep(job);
            }
            else if (VacuumStep())
            {
                _compaction = null;
                Log($"compacted to revision {job.Target}: deleted {job.Deleted} rows in {Environment.TickCount64 - job.StartedAt} ms");
                foreach (var waiter in job.Waiters)
                {
                    waiter.Complete();
                }

                Interlocked.Increment(ref _commitsSinceCheckpoint);
                _checkpointSignal.Release();
            }
        }
        catch (Exception e) when (e is SqliteException or InvalidOperationException)
        {
            _compaction = null;
            Log($"compaction to revision {job.Target} failed: {e.Message}");
            foreach (var waiter in job.Waiters)
            {
                waiter.Fail(e);
            }
        }
    }

    /// <summary>
    /// Deletes, among the next rows in log order, those at or below the target that are superseded by a newer row at
    /// or below the target, and tombstones at or below it. Rows go in ascending order so that a reader at the target
    /// never sees an old value reappear (the row before a tombstone is always deleted first or together with it).
    /// </summary>
    private void DeleteStep(CompactionJob job)
    {
        var last = job.Cursor;
        var done = false;
        var seen = 0;
        using (var scan = _db.CreateCommand())
        {
            scan.CommandText = "SELECT id, revision FROM kv WHERE id > $cursor ORDER BY id LIMIT $n;";
            scan.Parameters.AddWithValue("$cursor", job.Cursor);
            scan.Parameters.AddWithValue("$n", _options.CompactionBatchSize);
            using var r = scan.ExecuteReader();
            while (r.Read())
            {
                seen++;
                if (r.GetInt64(1) > job.Target)
                {
                    done = true; // ids follow revisions: everything after is newer
                    break;
                }

                last = r.GetInt64(0);
            }
        }

        if (seen < _options.CompactionBatchSize)
        {
            done = true;
        }

        if (last > job.Cursor)
        {
            using var tx = _db.BeginTransaction();
            using var delete = _db.CreateCommand();
            delete.Transaction = tx;
            delete.CommandText = """
                DELETE FROM kv
                WHERE id > $cursor AND id <= $last AND revision <= $target
                  AND (deleted = 1 OR EXISTS (
                      SELECT 1 FROM kv AS newer
                      WHERE newer.key = kv.key AND newer.revision > kv.revision AND newer.revision <= $target));
                """;
            delete.Parameters.AddWithValue("$cursor", job.Cursor);
            delete.Parameters.AddWithValue("$last", last);
            delete.Parameters.AddWithValue("$target", job.Target);
            job.Deleted += delete.ExecuteNonQuery();
            tx.Commit();
            job.Cursor = last;
        }

        if (done)
        {
            job.Deleting = false;
        }
    }

    /// <summary>Frees up to <see cref="VacuumPagesPerStep"/> pages; true when nothing (more) can be reclaimed.</summary>
    private bool VacuumStep()
    {
        var before = SqliteSchema.Scalar<long>(_db, "PRAGMA freelist_count;");
        if (before == 0)
        {
            return true;
        }

        SqliteSchema.Execute(_db, $"PRAGMA incremental_vacuum({VacuumPagesPerStep});");
        var after = SqliteSchema.Scalar<long>(_db, "PRAGMA freelist_count;");
        return after == 0 || after >= before; // the latter when the file is not in incremental auto-vacuum mode
    }

    /// <summary>
    /// Every <see cref="SqliteStoreOptions.CompactionInterval"/>: remember the current revision, and compact to the
    /// newest remembered revision that is at least <see cref="SqliteStoreOptions.HistoryRetention"/> old.
    /// </summary>
    private void OnCompactionTimer()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        long target = 0;
        var now = _time.GetUtcNow();
        var tolerance = _options.CompactionInterval / 10; // timers fire a little early or late
        lock (_compactionSamples)
        {
            _compactionSamples.Add((now, Volatile.Read(ref _revision)));
            var newest = _compactionSamples.FindLastIndex(s => now - s.At >= _options.HistoryRetention - tolerance);
            if (newest >= 0)
            {
                target = _compactionSamples[newest].Revision;
                _compactionSamples.RemoveRange(0, newest);
            }
        }

        if (target > CompactedRevision)
        {
            LastAutomaticCompaction = AutoCompactAsync(target);
        }
    }

    /// <summary>The most recent automatic compaction (for tests); it never throws.</summary>
    internal Task? LastAutomaticCompaction { get; private set; }

    private async Task AutoCompactAsync(long target)
    {
        try
        {
            await CompactAsync(target, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // closing
        }
        catch (Exception e)
        {
            Log($"automatic compaction to revision {target} failed: {e.Message}");
        }
    }

    /// <summary>
    /// Copies the WAL back into the database (PASSIVE, so writers never wait) about every 200 ms while there are
    /// commits. SQLite starts the WAL over only when a checkpoint has reached its very end before the writer's next
    /// transaction, which under sustained writes a concurrent checkpoint never does (the writer always appends a little
    /// more meanwhile) and the WAL grows without bound. So when the WAL passes 16 MiB the writer is asked to copy the
    /// (small) remainder itself between two batches; its next commit then starts the WAL over.
    /// </summary>
    private async Task CheckpointLoopAsync()
    {
        using var db = new SqliteConnection(SqliteSchema.WriterConnectionString(_path));
        db.Open();
        SqliteSchema.Execute(db, "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 1000;");
        while (true)
        {
            try
            {
                await _checkpointSignal.WaitAsync(TimeSpan.FromMilliseconds(200), _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (Interlocked.Exchange(ref _commitsSinceCheckpoint, 0) == 0)
            {
                continue;
            }

            try
            {
                var (log, _) = Checkpoint(db);

                // `log` only shrinks when the WAL starts over, which needs a checkpoint that reached its very end
                // before the writer's next transaction: ask the writer to finish one between two batches.
                if (log > WalFramesBeforeWriterCheckpoint)
                {
                    Volatile.Write(ref _writerCheckpointRequested, 1);
                }
            }
            catch (SqliteException e)
            {
                Log($"WAL checkpoint failed (will retry): {e.Message}");
                Interlocked.Increment(ref _commitsSinceCheckpoint);
            }
        }
    }

    /// <summary>Writer thread, between batches: nothing is being appended, so this checkpoint can complete.</summary>
    private void FinishCheckpoint()
    {
        Volatile.Write(ref _writerCheckpointRequested, 0);
        try
        {
            Checkpoint(_db);
        }
        catch (SqliteException e)
        {
            Log($"WAL checkpoint on the writer failed: {e.Message}");
        }
    }

    /// <summary>Runs a PASSIVE checkpoint; returns the frames in the WAL and how many are now copied.</summary>
    private static (long Log, long Copied) Checkpoint(SqliteConnection db)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        using var r = cmd.ExecuteReader();
        return r.Read() ? (r.GetInt64(1), r.GetInt64(2)) : (0, 0);
    }
}
