using Korral.Storage.Contract;
using Microsoft.Data.Sqlite;

namespace Korral.Storage.Sqlite;

/// <summary>
/// The on-disk layout (see docs/storage.md): <c>kv</c> is a log with one row per key per revision; <c>meta</c> holds the
/// current and compacted revisions and the lease id sequence; <c>lease</c> holds granted leases with their expiry.
/// </summary>
internal static class SqliteSchema
{
    public const int Version = 1;

    private const string CreateTables = """
        CREATE TABLE IF NOT EXISTS kv (
            id              INTEGER PRIMARY KEY,
            revision        INTEGER NOT NULL,
            key             TEXT    NOT NULL,
            create_revision INTEGER NOT NULL,
            prev_revision   INTEGER NOT NULL,
            version         INTEGER NOT NULL,
            deleted         INTEGER NOT NULL,
            lease           INTEGER NOT NULL,
            value           BLOB
        );
        CREATE UNIQUE INDEX IF NOT EXISTS kv_key_revision ON kv (key, revision);
        CREATE INDEX IF NOT EXISTS kv_revision ON kv (revision);
        CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS lease (id INTEGER PRIMARY KEY, ttl_ms INTEGER NOT NULL, expires_at_ms INTEGER NOT NULL);
        """;

    public const string MetaRevision = "revision";
    public const string MetaCompacted = "compacted";
    public const string MetaLeaseSequence = "lease_seq";

    public static string WriterConnectionString(string path) =>
        new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString();

    /// <summary>Readers share a pool; they only ever run SELECTs.</summary>
    public static string ReaderConnectionString(string path) =>
        new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = true }.ToString();

    /// <summary>Opens the writer connection, creating and migrating the database as needed.</summary>
    public static SqliteConnection OpenWriter(string path)
    {
        var db = new SqliteConnection(WriterConnectionString(path));
        db.Open();
        try
        {
            // auto_vacuum only takes effect before the first table exists; on an existing file it is a no-op.
            Execute(db, "PRAGMA auto_vacuum = INCREMENTAL;");
            var mode = Scalar<string>(db, "PRAGMA journal_mode = WAL;");
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"SQLite refused WAL mode for {path} (journal_mode is {mode}).");
            }

            // FULL: every commit fsyncs the WAL, so an acknowledged write survives power loss.
            // Checkpoints run on a background connection, never inside a writer's commit.
            Execute(db, """
                PRAGMA synchronous = FULL;
                PRAGMA wal_autocheckpoint = 0;
                PRAGMA journal_size_limit = 33554432;
                PRAGMA cache_size = -32768;
                PRAGMA temp_store = MEMORY;
                PRAGMA busy_timeout = 10000;
                """);
            var version = Scalar<long>(db, "PRAGMA user_version;");
            if (version > Version)
            {
                throw new InvalidOperationException($"{path} has schema version {version}, newer than this Korral ({Version}).");
            }

            using (var tx = db.BeginTransaction())
            {
                Execute(db, CreateTables, tx);

                // Like etcd, a new store is at revision 1: the first write gets 2 and no read ever reports revision 0,
                // which Kubernetes reserves for "any resourceVersion".
                Execute(db, $"INSERT OR IGNORE INTO meta (name, value) VALUES ('{MetaRevision}', 1);", tx);
                Execute(db, $"PRAGMA user_version = {Version};", tx);
                tx.Commit();
            }

            return db;
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    /// <summary>What a store needs in memory, read from the newest rows.</summary>
    public sealed record State(
        long Revision,
        long Compacted,
        long LeaseSequence,
        List<KeyValue> Live,
        List<(long Id, long TtlMs, long ExpiresAtMs)> Leases);

    public static State Load(SqliteConnection db)
    {
        var meta = new Dictionary<string, long>(StringComparer.Ordinal);
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = "SELECT name, value FROM meta;";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                meta[r.GetString(0)] = r.GetInt64(1);
            }
        }

        var maxRow = Scalar<long?>(db, "SELECT MAX(revision) FROM kv;") ?? 0;
        var revision = Math.Max(meta.GetValueOrDefault(MetaRevision), maxRow);
        var maxLease = Scalar<long?>(db, "SELECT MAX(id) FROM lease;") ?? 0;

        var live = new List<KeyValue>();
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = """
                SELECT k.key, k.value, k.create_revision, k.revision, k.version, k.lease
                FROM (SELECT key, MAX(revision) AS rev FROM kv GROUP BY key) AS m
                JOIN kv AS k ON k.key = m.key AND k.revision = m.rev
                WHERE k.deleted = 0;
                """;
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                live.Add(ReadKeyValue(r, 0));
            }
        }

        var leases = new List<(long, long, long)>();
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = "SELECT id, ttl_ms, expires_at_ms FROM lease;";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                leases.Add((r.GetInt64(0), r.GetInt64(1), r.GetInt64(2)));
            }
        }

        return new State(revision, meta.GetValueOrDefault(MetaCompacted), Math.Max(meta.GetValueOrDefault(MetaLeaseSequence), maxLease), live, leases);
    }

    /// <summary>Reads (key, value, create_revision, revision, version, lease) starting at column <paramref name="first"/>.</summary>
    public static KeyValue ReadKeyValue(SqliteDataReader r, int first) =>
        new(r.GetString(first), ReadValue(r, first + 1), r.GetInt64(first + 2), r.GetInt64(first + 3), r.GetInt64(first + 4), r.GetInt64(first + 5));

    public static byte[] ReadValue(SqliteDataReader r, int ordinal) =>
        r.IsDBNull(ordinal) ? [] : r.GetFieldValue<byte[]>(ordinal);

    public static void Execute(SqliteConnection db, string sql, SqliteTransaction? tx = null)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        cmd.ExecuteNonQuery();
    }

    public static T Scalar<T>(SqliteConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        var value = cmd.ExecuteScalar();
        if (value is null or DBNull)
        {
            return default!;
        }

        var type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return (T)Convert.ChangeType(value, type, System.Globalization.CultureInfo.InvariantCulture);
    }
}
