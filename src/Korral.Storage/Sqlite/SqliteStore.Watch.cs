using System.Runtime.CompilerServices;
using Korral.Storage.Contract;
using Microsoft.Data.Sqlite;

namespace Korral.Storage.Sqlite;

// Watch: catch up from SQLite (history older than the in-memory window, in pages), then from the window, then register
// a bounded live buffer, all so that every event ≥ the start revision arrives exactly once and in order. Registration
// and the writer's publication both happen under the state lock's ordering: a watcher registered at revision R gets
// events ≤ R from the window and events > R from its buffer.
public sealed partial class SqliteStore
{
    private const int HistoryPageRevisions = 1000;

    /// <inheritdoc/>
    /// <remarks>
    /// A start revision of 0 means "after the revision current when this method is called" (not when enumeration
    /// begins). The stream ends with <see cref="ObjectDisposedException"/> when the store is closed.
    /// </remarks>
    public IAsyncEnumerable<WatchEvent> WatchAsync(WatchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.Key))
        {
            throw new ArgumentException("a watch needs a non-empty key.", nameof(request));
        }

        if (request.StartRevision < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(request), "the start revision must not be negative.");
        }

        ThrowIfDisposed();
        var start = request.StartRevision > 0 ? request.StartRevision : Volatile.Read(ref _revision) + 1;
        return WatchCore(KeySpan.Of(request.Key, request.RangeEnd), start, cancellationToken);
    }

    /// <summary>The number of registered live watchers (for diagnostics and tests).</summary>
    public int WatcherCount => Volatile.Read(ref _watchers).Length;

    private async IAsyncEnumerable<WatchEvent> WatchCore(KeySpan span, long next, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Watcher? watcher = null;
        var pending = new List<WatchEvent>();
        try
        {
            while (watcher is null)
            {
                cancellationToken.ThrowIfCancellationRequested();
                long upTo = 0;
                lock (_stateLock)
                {
                    ThrowIfDisposed();
                    if (next <= _compacted)
                    {
                        throw new CompactedException(next, _compacted);
                    }

                    if (next >= _window.From)
                    {
                        _window.CopyTo(next, span, pending);
                        watcher = new Watcher(span, Math.Max(next, _revision + 1), _options.WatchBufferSize);
                        _watchers = [.. _watchers, watcher];
                    }
                    else
                    {
                        upTo = _window.From - 1;
                    }
                }

                // Older than the window: read SQLite a page at a time (no read transaction is held while yielding).
                while (watcher is null && next <= upTo)
                {
                    var to = Math.Min(upTo, next + HistoryPageRevisions - 1);
                    ReadEvents(span, next, to, pending);
                    foreach (var e in pending)
                    {
                        yield return e;
                    }

                    pending.Clear();
                    next = to + 1;
                }
            }

            foreach (var e in pending)
            {
                yield return e;
            }

            pending.Clear();
            var reader = watcher.Buffer.Reader;
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (reader.TryRead(out var e))
                {
                    yield return e;
                }
            }
        }
        finally
        {
            if (watcher is not null)
            {
                Unregister(watcher);
            }
        }
    }

    private void Unregister(Watcher watcher)
    {
        lock (_stateLock)
        {
            if (Array.IndexOf(_watchers, watcher) >= 0)
            {
                _watchers = _watchers.Where(w => w != watcher).ToArray();
            }
        }
    }

    /// <summary>Writer thread: offers each event to each watcher; a full buffer cuts that watcher off, never waits.</summary>
    private void Publish(List<WatchEvent> events, Watcher[] watchers)
    {
        List<Watcher>? lagged = null;
        foreach (var w in watchers)
        {
            if (w.Closed)
            {
                continue;
            }

            foreach (var e in events)
            {
                if (e.Revision >= w.MinRevision && w.Span.Contains(e.Kv.Key) && !w.Offer(e))
                {
                    (lagged ??= []).Add(w);
                    break;
                }
            }
        }

        if (lagged is not null)
        {
            Log($"{lagged.Count} watcher(s) fell more than {_options.WatchBufferSize} events behind and were closed");
            lock (_stateLock)
            {
                _watchers = _watchers.Except(lagged).ToArray();
            }
        }
    }

    /// <summary>Reads the events of revisions [from, to] in <paramref name="span"/> from the log, with previous values.</summary>
    private void ReadEvents(KeySpan span, long from, long to, List<WatchEvent> into)
    {
        using (var db = new SqliteConnection(_readConnectionString))
        {
            db.Open();
            using var cmd = db.CreateCommand();
            var filter = span.IsSingle ? "AND e.key = $key"
                : span.IsOpenEnded ? "AND e.key >= $key"
                : "AND e.key >= $key AND e.key < $end";
            cmd.CommandText = $"""
                SELECT e.revision, e.key, e.deleted, e.create_revision, e.version, e.lease, e.value,
                       p.key, p.value, p.create_revision, p.revision, p.version, p.lease
                FROM kv AS e
                LEFT JOIN kv AS p ON e.prev_revision > 0 AND p.key = e.key AND p.revision = e.prev_revision
                WHERE e.revision >= $from AND e.revision <= $to {filter}
                ORDER BY e.revision, e.id;
                """;
            cmd.Parameters.AddWithValue("$from", from);
            cmd.Parameters.AddWithValue("$to", to);
            cmd.Parameters.AddWithValue("$key", span.Key);
            if (span.End is not null && !span.IsOpenEnded)
            {
                cmd.Parameters.AddWithValue("$end", span.End);
            }

            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var revision = r.GetInt64(0);
                var key = r.GetString(1);
                var prev = r.IsDBNull(7) ? null : SqliteSchema.ReadKeyValue(r, 7);
                into.Add(r.GetInt64(2) != 0
                    ? new WatchEvent(WatchEventType.Delete, new KeyValue(key, ReadOnlyMemory<byte>.Empty, 0, revision, 0), prev)
                    : new WatchEvent(WatchEventType.Put, new KeyValue(key, SqliteSchema.ReadValue(r, 6), r.GetInt64(3), revision, r.GetInt64(4), r.GetInt64(5)), prev));
            }
        }

        // Compaction publishes its revision before deleting rows: if it reached `from`, rows may be missing.
        var compacted = Volatile.Read(ref _compacted);
        if (from <= compacted)
        {
            into.Clear();
            throw new CompactedException(from, compacted);
        }
    }
}
