using Korral.Storage.Contract;
using Microsoft.Data.Sqlite;

namespace Korral.Storage.Sqlite;

// Reads: the newest state (revision 0, or the current revision) comes from memory under the state lock; older
// revisions are read from SQLite on a pooled connection, then checked against the compacted revision (which compaction
// publishes before deleting any row), so a read racing a compaction fails instead of returning a partial answer.
public sealed partial class SqliteStore
{
    /// <inheritdoc/>
    public Task<RangeResult> RangeAsync(RangeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.Key))
        {
            throw new ArgumentException("a range needs a non-empty key.", nameof(request));
        }

        if (request.Revision < 0 || request.Limit < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(request), "revision and limit must not be negative.");
        }

        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        var span = KeySpan.Of(request.Key, request.RangeEnd);
        if (request.Revision == 0 || request.Revision == Volatile.Read(ref _revision))
        {
            lock (_stateLock)
            {
                if (request.Revision == 0 || request.Revision == _revision)
                {
                    return Task.FromResult(Shape(_index.Range(span), request, _revision));
                }
            }
        }

        using var db = new SqliteConnection(_readConnectionString);
        db.Open();
        return Task.FromResult(ReadAt(db, request));
    }

    /// <summary>Counts every key of the range and keeps the first <see cref="RangeRequest.Limit"/> (none when CountOnly).</summary>
    private static RangeResult Shape(IEnumerable<KeyValue> kvs, RangeRequest request, long revision)
    {
        var list = new List<KeyValue>();
        long count = 0;
        foreach (var kv in kvs)
        {
            count++;
            if (!request.CountOnly && (request.Limit == 0 || list.Count < request.Limit))
            {
                list.Add(kv);
            }
        }

        return new RangeResult(list, revision, count, !request.CountOnly && request.Limit > 0 && count > request.Limit);
    }

    /// <summary>Reads the range as it was at <see cref="RangeRequest.Revision"/> (positive) from SQLite.</summary>
    private RangeResult ReadAt(SqliteConnection db, RangeRequest request)
    {
        var current = Volatile.Read(ref _revision);
        if (request.Revision > current)
        {
            throw new FutureRevisionException(request.Revision, current);
        }

        CheckNotCompacted(request.Revision);
        var span = KeySpan.Of(request.Key, request.RangeEnd);
        var list = new List<KeyValue>();
        long count = 0;
        if (!span.IsEmpty)
        {
            using var cmd = db.CreateCommand();
            cmd.Parameters.AddWithValue("$key", span.Key);
            cmd.Parameters.AddWithValue("$rev", request.Revision);
            if (span.IsSingle)
            {
                cmd.CommandText = """
                    SELECT key, value, create_revision, revision, version, lease FROM kv
                    WHERE id = (SELECT id FROM kv WHERE key = $key AND revision <= $rev ORDER BY revision DESC LIMIT 1) AND deleted = 0;
                    """;
            }
            else
            {
                var end = span.IsOpenEnded ? "" : "AND k.key < $end";
                if (!span.IsOpenEnded)
                {
                    cmd.Parameters.AddWithValue("$end", span.End);
                }

                // The newest row at or below the revision of each key: walk the (key, revision) index over the range
                // in key order (no sort) and skip rows that a newer row at or below the revision supersedes.
                cmd.CommandText = $"""
                    SELECT k.key, k.value, k.create_revision, k.revision, k.version, k.lease
                    FROM kv AS k
                    WHERE k.key >= $key {end} AND k.revision <= $rev AND k.deleted = 0
                      AND NOT EXISTS (SELECT 1 FROM kv AS n WHERE n.key = k.key AND n.revision > k.revision AND n.revision <= $rev)
                    ORDER BY k.key;
                    """;
            }

            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                count++;
                if (!request.CountOnly && (request.Limit == 0 || list.Count < request.Limit))
                {
                    list.Add(SqliteSchema.ReadKeyValue(r, 0)); // values beyond the limit are never read
                }
            }
        }

        CheckNotCompacted(request.Revision);
        return new RangeResult(list, request.Revision, count, !request.CountOnly && request.Limit > 0 && count > request.Limit);
    }

    /// <summary>History at <paramref name="revision"/> is readable while it is at or above the compacted revision.</summary>
    private void CheckNotCompacted(long revision)
    {
        var compacted = Volatile.Read(ref _compacted);
        if (revision < compacted)
        {
            throw new CompactedException(revision, compacted);
        }
    }
}
