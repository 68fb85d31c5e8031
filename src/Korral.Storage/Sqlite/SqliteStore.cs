using System.Threading.Channels;
using Korral.Storage.Contract;
using Microsoft.Data.Sqlite;

namespace Korral.Storage.Sqlite;

/// <summary>
/// The embedded store: etcd v3 semantics over one SQLite file (WAL, synchronous=FULL) with the newest value of every key
/// in memory. One writer thread group-commits queued transactions; watchers are fed directly from each commit.
/// See docs/storage.md for the design and src/Korral.Storage/README.md for how to use and test it.
/// </summary>
public sealed partial class SqliteStore : IKeyValueStore
{
    private readonly SqliteStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly string _path;
    private readonly string _readConnectionString;
    private readonly FileStream _lockFile;

    // Reader-visible state: written only by the writer thread, always under _stateLock; read under it.
    private readonly Lock _stateLock = new();
    private readonly KeyIndex _index = new();
    private readonly EventWindow _window;
    private Watcher[] _watchers = [];
    private long _revision;
    private long _compacted;

    private readonly Channel<WriteRequest> _queue;
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;

    private SqliteStore(SqliteStoreOptions options, SqliteConnection db, FileStream lockFile, SqliteSchema.State state)
    {
        _options = options;
        _time = options.TimeProvider;
        _lockFile = lockFile;
        _db = db;
        _path = Path.GetFullPath(options.DatabasePath);
        _readConnectionString = SqliteSchema.ReaderConnectionString(_path);
        _revision = state.Revision;
        _compacted = state.Compacted;
        _leaseSequence = state.LeaseSequence;
        _window = new EventWindow(options.EventWindowSize, state.Revision);
        foreach (var kv in state.Live)
        {
            _index.Set(kv);
            if (kv.Lease != 0)
            {
                KeysOf(kv.Lease).Add(kv.Key);
            }
        }

        foreach (var (id, ttlMs, expiresAtMs) in state.Leases)
        {
            _leases[id] = new LeaseState(ttlMs, expiresAtMs);
        }

        _queue = Channel.CreateBounded<WriteRequest>(new BoundedChannelOptions(options.MaxPendingWrites)
        {
            SingleReader = false, // one reader, but it abandons timed-out waits (compaction pacing), which needs this
            FullMode = BoundedChannelFullMode.Wait,
        });
        PrepareWriterCommands();
        _leaseTimer = _time.CreateTimer(static s => ((SqliteStore)s!).OnLeaseTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _compactionTimer = _time.CreateTimer(static s => ((SqliteStore)s!).OnCompactionTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _writer = new Thread(WriterLoop) { IsBackground = true, Name = "korral-sqlite-writer" };
    }

    /// <summary>
    /// Opens (or creates) the database at <see cref="SqliteStoreOptions.DatabasePath"/>, rebuilds the in-memory state
    /// from its newest rows and starts the writer. Only one store may have a database open at a time (a lock file next
    /// to it enforces this across processes).
    /// </summary>
    public static Task<SqliteStore> OpenAsync(SqliteStoreOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid SqliteStoreOptions:" + Environment.NewLine + string.Join(Environment.NewLine, errors), nameof(options));
        }

        return Task.Run(() => Open(options), cancellationToken);
    }

    private static SqliteStore Open(SqliteStoreOptions options)
    {
        var path = Path.GetFullPath(options.DatabasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException($"{path} is already open in another store or process.", e);
        }

        SqliteConnection? db = null;
        try
        {
            db = SqliteSchema.OpenWriter(path);
            var state = SqliteSchema.Load(db);
            var store = new SqliteStore(options, db, lockFile, state);
            store.Start();
            store.Log($"opened {path}: revision {state.Revision}, compacted {state.Compacted}, {state.Live.Count} keys, {state.Leases.Count} leases");
            return store;
        }
        catch
        {
            db?.Dispose();
            lockFile.Dispose();
            throw;
        }
    }

    private void Start()
    {
        ScheduleLeaseTimer();
        _writer.Start();
        _checkpointer = Task.Run(CheckpointLoopAsync);

        if (_options.CompactionInterval > TimeSpan.Zero)
        {
            _compactionSamples.Add((_time.GetUtcNow(), _revision));
            _compactionTimer.Change(_options.CompactionInterval, _options.CompactionInterval);
        }
    }

    /// <inheritdoc/>
    public long CompactedRevision => Volatile.Read(ref _compacted);

    /// <summary>The number of live keys (for diagnostics and tests).</summary>
    public int KeyCount
    {
        get
        {
            lock (_stateLock)
            {
                return _index.Count;
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask<long> GetCurrentRevisionAsync(CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return ValueTask.FromResult(Volatile.Read(ref _revision));
    }

    /// <inheritdoc/>
    public Task<TxnResult> TxnAsync(Txn txn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(txn);
        TxnValidation.Validate(txn);
        return EnqueueAsync(new TxnRequest(TxnValidation.CopyValues(txn), cancellationToken), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<long> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken)
    {
        if (ttl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ttl), ttl, "A lease TTL must be positive.");
        }

        return EnqueueAsync(new GrantLeaseRequest(ttl, cancellationToken), cancellationToken);
    }

    /// <inheritdoc/>
    public Task RevokeLeaseAsync(long lease, CancellationToken cancellationToken) =>
        EnqueueAsync(new RevokeLeaseRequest(lease, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public Task CompactAsync(long revision, CancellationToken cancellationToken) =>
        EnqueueAsync(new CompactRequest(revision, cancellationToken), cancellationToken);

    private async Task<T> EnqueueAsync<T>(WriteRequest<T> request, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        if (Volatile.Read(ref _fault) is { } fault)
        {
            throw Faulted(fault);
        }

        if (!_queue.Writer.TryWrite(request))
        {
            try
            {
                await _queue.Writer.WriteAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                throw new ObjectDisposedException(nameof(SqliteStore));
            }
        }

        return await request.Task.ConfigureAwait(false);
    }

    /// <summary>
    /// Stops the writer after it has executed every request already queued (they complete normally), ends every watch
    /// with <see cref="ObjectDisposedException"/>, checkpoints the WAL and closes the database.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _compactionTimer.Dispose();
        _leaseTimer.Dispose();
        _queue.Writer.TryComplete();
        await _writerDone.Task.ConfigureAwait(false);
        _stopping.Cancel();
        if (_checkpointer is not null)
        {
            await _checkpointer.ConfigureAwait(false);
        }

        Watcher[] watchers;
        lock (_stateLock)
        {
            watchers = _watchers;
            _watchers = [];
        }

        foreach (var w in watchers)
        {
            w.Buffer.Writer.TryComplete(new ObjectDisposedException(nameof(SqliteStore), "The store was closed."));
        }

        try
        {
            SqliteSchema.Execute(_db, "PRAGMA wal_checkpoint(TRUNCATE);");
        }
        catch (SqliteException e)
        {
            Log($"final checkpoint failed: {e.Message}");
        }

        DisposeWriterCommands();
        _db.Dispose();
        using (var pooled = new SqliteConnection(_readConnectionString))
        {
            SqliteConnection.ClearPool(pooled);
        }

        _lockFile.Dispose();
        _stopping.Dispose();
        _checkpointSignal.Dispose();
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private static InvalidOperationException Faulted(Exception fault) =>
        new("The SQLite store failed to write and must be reopened.", fault);

    private void Log(string message) => _options.Log?.Invoke("sqlite-store: " + message);
}
