namespace Korral.Storage.Sqlite;

/// <summary>
/// Settings of <see cref="SqliteStore"/>. Every default is chosen for a single-node control plane; see docs/storage.md.
/// Invalid values are rejected by <see cref="SqliteStore.OpenAsync"/> with one message listing every problem.
/// </summary>
public sealed class SqliteStoreOptions
{
    /// <summary>Path of the SQLite database file (created when missing, with its directory). Required.</summary>
    public string DatabasePath { get; set; } = "";

    /// <summary>
    /// How often the store compacts itself. 5 minutes, like kube-apiserver's <c>--etcd-compaction-interval</c>.
    /// <see cref="TimeSpan.Zero"/> disables automatic compaction (then call <c>CompactAsync</c> yourself).
    /// </summary>
    public TimeSpan CompactionInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How much history automatic compaction keeps: each run compacts to the newest revision that was current at least
    /// this long ago, so watchers and historical reads can resume from any revision of that window (default 5 minutes,
    /// so between 5 and 10 minutes of history exist at any time with the default interval).
    /// </summary>
    public TimeSpan HistoryRetention { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Most write requests (transactions, lease grants/revokes) committed in one SQLite transaction. Default 1,000.</summary>
    public int MaxBatchSize { get; set; } = 1000;

    /// <summary>Most write requests queued before callers wait (backpressure). Default 10,000.</summary>
    public int MaxPendingWrites { get; set; } = 10_000;

    /// <summary>
    /// Recent events kept in memory so that watchers starting from a recent revision catch up without reading SQLite.
    /// Older (but uncompacted) history is read from SQLite. Default 10,000 events.
    /// </summary>
    public int EventWindowSize { get; set; } = 10_000;

    /// <summary>
    /// Events buffered per watcher. A watcher whose consumer lets this many events pile up is ended with
    /// <see cref="Contract.WatchLaggedException"/> (after the buffered events) instead of growing memory. Default 10,000.
    /// </summary>
    public int WatchBufferSize { get; set; } = 10_000;

    /// <summary>Rows examined per compaction step; the writer interleaves steps with write batches. Default 1,000.</summary>
    public int CompactionBatchSize { get; set; } = 1000;

    /// <summary>Receives diagnostic messages (compactions, checkpoints, failures). Null: silent.</summary>
    public Action<string>? Log { get; set; }

    /// <summary>The clock for lease expiry and automatic compaction (tests may substitute one).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Every problem with these options, each with how to fix it; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(DatabasePath))
        {
            errors.Add("DatabasePath is required: set it to the SQLite file to use, e.g. /var/lib/korral/state.db.");
        }

        if (CompactionInterval < TimeSpan.Zero)
        {
            errors.Add($"CompactionInterval must be positive, or zero to disable automatic compaction (got {CompactionInterval}).");
        }

        if (HistoryRetention < TimeSpan.Zero)
        {
            errors.Add($"HistoryRetention must not be negative (got {HistoryRetention}).");
        }

        AddIfBelow(errors, nameof(MaxBatchSize), MaxBatchSize, 1);
        AddIfBelow(errors, nameof(MaxPendingWrites), MaxPendingWrites, 1);
        AddIfBelow(errors, nameof(EventWindowSize), EventWindowSize, 1);
        AddIfBelow(errors, nameof(WatchBufferSize), WatchBufferSize, 1);
        AddIfBelow(errors, nameof(CompactionBatchSize), CompactionBatchSize, 1);
        if (TimeProvider is null)
        {
            errors.Add("TimeProvider must not be null: use TimeProvider.System.");
        }

        return errors;
    }

    private static void AddIfBelow(List<string> errors, string name, int value, int minimum)
    {
        if (value < minimum)
        {
            errors.Add($"{name} must be at least {minimum} (got {value}).");
        }
    }
}
