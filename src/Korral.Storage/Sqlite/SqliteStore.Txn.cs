using Korral.Storage.Contract;

namespace Korral.Storage.Sqlite;

// Evaluating one transaction inside a batch (writer thread): compares and reads see committed memory plus the batch's
// own earlier writes; everything that can fail is checked before anything is written to the batch.
public sealed partial class SqliteStore
{
    private TxnResult ExecuteTxn(Batch batch, Txn txn)
    {
        var succeeded = true;
        foreach (var compare in txn.Compares)
        {
            if (!Holds(compare, Current(batch, compare.Key)))
            {
                succeeded = false;
                break;
            }
        }

        var ops = succeeded ? txn.Success : txn.Failure;

        // Everything that can fail runs first, so that a failing request leaves no trace in the batch.
        TxnOpResult?[] results = new TxnOpResult?[ops.Count];
        for (var i = 0; i < ops.Count; i++)
        {
            switch (ops[i])
            {
                case PutOp { Lease: not 0 } put when !_leases.ContainsKey(put.Lease):
                    throw new LeaseNotFoundException(put.Lease);
                case GetOp { Request.Revision: > 0 } get:
                    results[i] = new GetResult(ReadAt(_db, get.Request));
                    break;
            }
        }

        var revision = batch.Revision + 1;
        var wrote = false;
        for (var i = 0; i < ops.Count; i++)
        {
            switch (ops[i])
            {
                case PutOp put:
                    results[i] = new PutResult(Put(batch, put.Key, put.Value, put.Lease, revision));
                    wrote = true;
                    break;
                case DeleteOp delete:
                    var deleted = LatestRange(batch, KeySpan.Of(delete.Key, delete.RangeEnd));
                    foreach (var prev in deleted)
                    {
                        Delete(batch, prev, revision);
                    }

                    wrote |= deleted.Count > 0;
                    results[i] = new DeleteResult(deleted);
                    break;
                case GetOp get when results[i] is null:
                    var span = KeySpan.Of(get.Request.Key, get.Request.RangeEnd);
                    results[i] = new GetResult(Shape(LatestRange(batch, span), get.Request, wrote ? revision : batch.Revision));
                    break;
            }
        }

        if (wrote)
        {
            batch.Revision = revision;
        }

        return new TxnResult(succeeded, batch.Revision, results!);
    }

    private KeyValue? Put(Batch batch, string key, ReadOnlyMemory<byte> value, long lease, long revision)
    {
        var prev = Current(batch, key);
        var kv = new KeyValue(key, value, prev?.CreateRevision ?? revision, revision, (prev?.Version ?? 0) + 1, lease);
        batch.Overlay[key] = kv;
        batch.Events.Add(new WatchEvent(WatchEventType.Put, kv, prev));
        Reattach(key, prev?.Lease ?? 0, lease);
        return prev;
    }

    private void Delete(Batch batch, KeyValue prev, long revision)
    {
        batch.Overlay[prev.Key] = null;
        batch.Events.Add(new WatchEvent(WatchEventType.Delete, new KeyValue(prev.Key, ReadOnlyMemory<byte>.Empty, 0, revision, 0), prev));
        Reattach(prev.Key, prev.Lease, 0);
    }

    /// <summary>The newest value of <paramref name="key"/> including the batch's own writes.</summary>
    private KeyValue? Current(Batch batch, string key) =>
        batch.Overlay.TryGetValue(key, out var pending) ? pending : _index.Get(key); // writer thread: no lock needed to read

    /// <summary>The live keys of a span including the batch's own writes, in key order.</summary>
    private List<KeyValue> LatestRange(Batch batch, KeySpan span)
    {
        if (span.IsSingle)
        {
            return Current(batch, span.Key) is { } single ? [single] : [];
        }

        var result = new List<KeyValue>();
        foreach (var kv in _index.Range(span))
        {
            if (!batch.Overlay.TryGetValue(kv.Key, out var pending))
            {
                result.Add(kv);
            }
            else if (pending is not null)
            {
                result.Add(pending);
            }
        }

        var added = false;
        foreach (var (key, pending) in batch.Overlay)
        {
            if (pending is not null && span.Contains(key) && _index.Get(key) is null)
            {
                result.Add(pending);
                added = true;
            }
        }

        if (added)
        {
            result.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        }

        return result;
    }

    private static bool Holds(Compare compare, KeyValue? kv)
    {
        var actual = compare.Target switch
        {
            CompareTarget.ModRevision => kv?.ModRevision ?? 0,
            CompareTarget.CreateRevision => kv?.CreateRevision ?? 0,
            CompareTarget.Version => kv?.Version ?? 0,
            _ => throw new ArgumentException($"unknown compare target {compare.Target}"),
        };
        return compare.Result switch
        {
            CompareResult.Equal => actual == compare.Value,
            CompareResult.NotEqual => actual != compare.Value,
            CompareResult.Less => actual < compare.Value,
            CompareResult.Greater => actual > compare.Value,
            _ => throw new ArgumentException($"unknown compare result {compare.Result}"),
        };
    }
}
