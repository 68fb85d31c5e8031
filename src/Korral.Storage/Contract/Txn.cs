namespace Korral.Storage.Contract;

/// <summary>Which revision field of a key a <see cref="Compare"/> looks at.</summary>
public enum CompareTarget
{
    ModRevision,
    CreateRevision,
    Version,
}

public enum CompareResult
{
    Equal,
    NotEqual,
    Less,
    Greater,
}

/// <summary>
/// A guard of a <see cref="Txn"/>: compares a revision field of <see cref="Key"/> with <see cref="Value"/>.
/// A missing key has every field 0, so "ModRevision == 0" means "does not exist".
/// </summary>
public sealed record Compare(string Key, CompareTarget Target, CompareResult Result, long Value)
{
    public static Compare ModRevisionIs(string key, long revision) => new(key, CompareTarget.ModRevision, CompareResult.Equal, revision);

    public static Compare Missing(string key) => new(key, CompareTarget.ModRevision, CompareResult.Equal, 0);
}

/// <summary>One operation of a <see cref="Txn"/> branch.</summary>
public abstract record TxnOp;

/// <summary>Writes <see cref="Value"/> at <see cref="Key"/>; a non-zero <see cref="Lease"/> ties it to a lease (TTL).</summary>
public sealed record PutOp(string Key, ReadOnlyMemory<byte> Value, long Lease = 0) : TxnOp;

/// <summary>Deletes <see cref="Key"/> (or [Key, RangeEnd) when RangeEnd is set).</summary>
public sealed record DeleteOp(string Key, string? RangeEnd = null) : TxnOp;

/// <summary>Reads inside the transaction (at the transaction's revision).</summary>
public sealed record GetOp(RangeRequest Request) : TxnOp;

/// <summary>
/// An etcd-style transaction: if every <see cref="Compares"/> holds, <see cref="Success"/> runs, otherwise
/// <see cref="Failure"/>. All writes of one transaction share one new revision. A transaction without writes does not
/// create a revision.
/// </summary>
public sealed record Txn(IReadOnlyList<Compare> Compares, IReadOnlyList<TxnOp> Success, IReadOnlyList<TxnOp> Failure)
{
    /// <summary>Create <paramref name="key"/> if it does not exist; otherwise read it.</summary>
    public static Txn Create(string key, ReadOnlyMemory<byte> value, long lease = 0) =>
        new([Compare.Missing(key)], [new PutOp(key, value, lease)], [new GetOp(new RangeRequest(key))]);

    /// <summary>Replace <paramref name="key"/> if its mod revision is still <paramref name="modRevision"/>; otherwise read it.</summary>
    public static Txn Update(string key, long modRevision, ReadOnlyMemory<byte> value, long lease = 0) =>
        new([Compare.ModRevisionIs(key, modRevision)], [new PutOp(key, value, lease)], [new GetOp(new RangeRequest(key))]);

    /// <summary>Delete <paramref name="key"/> if its mod revision is still <paramref name="modRevision"/>; otherwise read it.</summary>
    public static Txn Delete(string key, long modRevision) =>
        new([Compare.ModRevisionIs(key, modRevision)], [new DeleteOp(key)], [new GetOp(new RangeRequest(key))]);
}
