namespace Korral.Storage.Contract;

/// <summary>What one operation of the executed branch returned.</summary>
public abstract record TxnOpResult;

/// <summary>A put: <see cref="PrevKv"/> is the value it replaced, if any.</summary>
public sealed record PutResult(KeyValue? PrevKv) : TxnOpResult;

/// <summary>A delete: the keys it removed, with their last values.</summary>
public sealed record DeleteResult(IReadOnlyList<KeyValue> Deleted) : TxnOpResult;

public sealed record GetResult(RangeResult Range) : TxnOpResult;

/// <summary>
/// The outcome of a <see cref="Txn"/>: whether the compares held, the store revision after it (the new revision when
/// it wrote), and one result per operation of the branch that ran.
/// </summary>
public sealed record TxnResult(bool Succeeded, long Revision, IReadOnlyList<TxnOpResult> Results);
