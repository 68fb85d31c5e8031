using Korral.Storage.Contract;

namespace Korral.Storage.Sqlite;

/// <summary>Checks a transaction before it is queued, as etcd does on request validation.</summary>
internal static class TxnValidation
{
    public static void Validate(Txn txn)
    {
        ArgumentNullException.ThrowIfNull(txn.Compares, nameof(txn.Compares));
        ArgumentNullException.ThrowIfNull(txn.Success, nameof(txn.Success));
        ArgumentNullException.ThrowIfNull(txn.Failure, nameof(txn.Failure));
        foreach (var c in txn.Compares)
        {
            RequireKey(c?.Key, "compare");
        }

        ValidateBranch(txn.Success);
        ValidateBranch(txn.Failure);
    }

    /// <summary>Copies every put value so that the caller may reuse its buffers once the call returns.</summary>
    public static Txn CopyValues(Txn txn)
    {
        if (!txn.Success.Any(op => op is PutOp) && !txn.Failure.Any(op => op is PutOp))
        {
            return txn;
        }

        return txn with { Success = Copy(txn.Success), Failure = Copy(txn.Failure) };

        static TxnOp[] Copy(IReadOnlyList<TxnOp> ops) =>
            ops.Select(op => op is PutOp put ? put with { Value = put.Value.ToArray() } : op).ToArray();
    }

    private static void ValidateBranch(IReadOnlyList<TxnOp> ops)
    {
        HashSet<string>? puts = null;
        List<KeySpan>? deletes = null;
        foreach (var op in ops)
        {
            switch (op)
            {
                case PutOp put:
                    RequireKey(put.Key, "put");
                    if (!(puts ??= new(StringComparer.Ordinal)).Add(put.Key))
                    {
                        throw new ArgumentException($"duplicate key given in txn request: {put.Key} is put twice in one branch.");
                    }

                    break;
                case DeleteOp delete:
                    RequireKey(delete.Key, "delete");
                    (deletes ??= []).Add(KeySpan.Of(delete.Key, delete.RangeEnd));
                    break;
                case GetOp get:
                    ArgumentNullException.ThrowIfNull(get.Request, "GetOp.Request");
                    RequireKey(get.Request.Key, "get");
                    if (get.Request.Revision < 0 || get.Request.Limit < 0)
                    {
                        throw new ArgumentOutOfRangeException(nameof(op), "GetOp revision and limit must not be negative.");
                    }

                    break;
                default:
                    throw new ArgumentException($"unsupported transaction operation {op?.GetType().Name ?? "null"}.");
            }
        }

        if (puts is null || deletes is null)
        {
            return;
        }

        foreach (var key in puts)
        {
            if (deletes.Any(d => d.Contains(key)))
            {
                throw new ArgumentException($"duplicate key given in txn request: {key} is both put and deleted in one branch.");
            }
        }
    }

    private static void RequireKey(string? key, string what)
    {
        if (string.IsNullOrEmpty(key))
        {
            throw new ArgumentException($"a {what} needs a non-empty key.");
        }
    }
}
