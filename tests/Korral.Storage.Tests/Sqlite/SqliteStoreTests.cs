using System.Text;
using Korral.Storage.Contract;
using Korral.Storage.Sqlite;
using Korral.Storage.Tests.Contract;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Korral.Storage.Tests.Sqlite;

/// <summary>What only the SQLite backend promises: options, file locking, space reclaim, timers, shutdown.</summary>
public sealed class SqliteStoreTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = WatchProbe.Timeout;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "korral-store-tests", Guid.NewGuid().ToString("N"));
    private readonly List<string> _log = [];

    private string DbPath => Path.Combine(_directory, "state.db");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        return Task.CompletedTask;
    }

    private Task<SqliteStore> OpenAsync(Action<SqliteStoreOptions>? configure = null)
    {
        var options = new SqliteStoreOptions { DatabasePath = DbPath, CompactionInterval = TimeSpan.Zero, Log = Record };
        configure?.Invoke(options);
        return SqliteStore.OpenAsync(options, CancellationToken.None);
    }

    private void Record(string line)
    {
        lock (_log)
        {
            _log.Add(line);
        }
    }

    private static Task<TxnResult> PutAsync(IKeyValueStore store, string key, string value, long lease = 0) =>
        store.TxnAsync(new Txn([], [new PutOp(key, Encoding.UTF8.GetBytes(value), lease)], []), CancellationToken.None);

    private long Query(string sql)
    {
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DbPath, Pooling = false }.ToString());
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Invalid_options_are_rejected_with_every_problem_listed()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => SqliteStore.OpenAsync(
            new SqliteStoreOptions { DatabasePath = "", MaxBatchSize = 0, WatchBufferSize = -1 }, CancellationToken.None));
        Assert.Contains("DatabasePath", e.Message);
        Assert.Contains("MaxBatchSize", e.Message);
        Assert.Contains("WatchBufferSize", e.Message);
    }

    [Fact]
    public async Task A_database_can_only_be_open_once()
    {
        await using var first = await OpenAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => OpenAsync());
        await first.DisposeAsync();
        await using var second = await OpenAsync();
        Assert.Equal(1, await second.GetCurrentRevisionAsync(CancellationToken.None)); // a new store starts at 1, like etcd
    }

    [Fact]
    public async Task The_database_uses_wal_full_sync_and_incremental_vacuum()
    {
        await using (var store = await OpenAsync())
        {
            await PutAsync(store, "/a", "1");
        }

        Assert.Equal(2, Query("PRAGMA auto_vacuum;")); // 2 = INCREMENTAL
        using var db = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", cmd.ExecuteScalar());
    }

    [Fact]
    public async Task Compaction_deletes_superseded_rows_and_reclaims_their_pages()
    {
        var value = new string('x', 2000);
        await using var store = await OpenAsync(o => o.CompactionBatchSize = 100);
        for (var round = 0; round < 50; round++)
        {
            await Task.WhenAll(Enumerable.Range(0, 20).Select(k => PutAsync(store, $"/busy/{k:D2}", value + round)));
        }

        await store.TxnAsync(new Txn([], [new DeleteOp("/busy/00")], []), CancellationToken.None);
        Assert.Equal(1001, Query("SELECT COUNT(*) FROM kv;"));
        var pagesBefore = Query("PRAGMA page_count;");

        var current = await store.GetCurrentRevisionAsync(CancellationToken.None);
        await store.CompactAsync(current, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(19, Query("SELECT COUNT(*) FROM kv;")); // the newest row of each live key; the tombstone went too
        Assert.Equal(0, Query("PRAGMA freelist_count;"));
        Assert.True(Query("PRAGMA page_count;") < pagesBefore / 5, "incremental vacuum should have shrunk the file");
        Assert.Equal(19, store.KeyCount);
        Assert.Contains(_log, l => l.Contains($"compacted to revision {current}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Automatic_compaction_keeps_the_configured_history()
    {
        var clock = new ManualTimeProvider();
        await using var store = await OpenAsync(o =>
        {
            o.TimeProvider = clock;
            o.CompactionInterval = TimeSpan.FromMinutes(5);
            o.HistoryRetention = TimeSpan.FromMinutes(5);
        });

        var first = (await PutAsync(store, "/a", "1")).Revision;
        clock.Advance(TimeSpan.FromMinutes(5)); // remembers `first`; only the revision at opening is 5 minutes old
        var second = (await PutAsync(store, "/a", "2")).Revision;
        Assert.True(store.CompactedRevision < first);

        clock.Advance(TimeSpan.FromMinutes(5)); // compacts to what was current 5 minutes ago
        await store.LastAutomaticCompaction!.WaitAsync(Timeout);
        Assert.Equal(first, store.CompactedRevision);
        Assert.Equal("1", Encoding.UTF8.GetString((await store.RangeAsync(new RangeRequest("/a", Revision: first), default)).Kvs[0].Value.Span));
        Assert.True(second > store.CompactedRevision);
    }

    [Fact]
    public async Task Leases_expire_on_the_store_clock()
    {
        var clock = new ManualTimeProvider();
        await using var store = await OpenAsync(o => o.TimeProvider = clock);
        var early = await store.GrantLeaseAsync(TimeSpan.FromMinutes(1), default);
        var late = await store.GrantLeaseAsync(TimeSpan.FromMinutes(10), default);
        await PutAsync(store, "/events/early", "e", early);
        await PutAsync(store, "/events/late", "l", late);
        var start = await store.GetCurrentRevisionAsync(default) + 1;
        await using var watch = new WatchProbe(store, WatchRequest.Prefix("/events/", start));

        clock.Advance(TimeSpan.FromSeconds(59));
        clock.Advance(TimeSpan.FromSeconds(1));
        var expired = await watch.NextAsync("the early lease expiring");
        Assert.Equal(("/events/early", WatchEventType.Delete), (expired.Kv.Key, expired.Type));
        Assert.Equal(1, store.KeyCount);

        clock.Advance(TimeSpan.FromMinutes(9));
        var second = await watch.NextAsync("the late lease expiring");
        Assert.Equal(("/events/late", WatchEventType.Delete), (second.Kv.Key, second.Type));
        Assert.Equal(start + 1, second.Revision);
    }

    [Fact]
    public async Task Closing_completes_or_fails_every_pending_request_and_ends_watches()
    {
        var store = await OpenAsync();
        await using var watch = new WatchProbe(store, WatchRequest.Prefix("/"));
        var writes = Enumerable.Range(0, 2000).Select(i => Task.Run(() => PutAsync(store, $"/k/{i}", "v"))).ToArray();
        await store.DisposeAsync();

        var outcomes = await Task.WhenAll(writes.Select(async w =>
        {
            try
            {
                await w.WaitAsync(Timeout);
                return "ok";
            }
            catch (ObjectDisposedException)
            {
                return "disposed";
            }
        }));
        Assert.All(outcomes, o => Assert.Contains(o, new[] { "ok", "disposed" }));
        Assert.IsType<ObjectDisposedException>(await watch.EndAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => PutAsync(store, "/after", "v"));

        await using var reopened = await OpenAsync();
        var stored = await reopened.RangeAsync(RangeRequest.Prefix("/k/"), default);
        Assert.Equal(outcomes.Count(o => o == "ok"), stored.Count);
    }

    [Fact]
    public async Task A_cancelled_request_is_not_executed()
    {
        await using var store = await OpenAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            store.TxnAsync(new Txn([], [new PutOp("/a", new byte[] { 1 })], []), cancelled.Token));
        Assert.Equal(1, await store.GetCurrentRevisionAsync(default));
    }

    [Fact]
    public async Task An_open_ended_range_covers_every_key_from_its_start()
    {
        await using var store = await OpenAsync();
        foreach (var key in new[] { "/a", "/b", "/c" })
        {
            await PutAsync(store, key, key);
        }

        var rev = await store.GetCurrentRevisionAsync(default);
        Assert.Equal(["/b", "/c"], (await store.RangeAsync(new RangeRequest("/b", "\0"), default)).Kvs.Select(kv => kv.Key));
        Assert.Equal(["/b", "/c"], (await store.RangeAsync(new RangeRequest("/b", "\0", rev - 1 + 1), default)).Kvs.Select(kv => kv.Key));
        await PutAsync(store, "/d", "d");
        Assert.Equal(["/b", "/c"], (await store.RangeAsync(new RangeRequest("/b", "\0", rev), default)).Kvs.Select(kv => kv.Key));
    }
}
