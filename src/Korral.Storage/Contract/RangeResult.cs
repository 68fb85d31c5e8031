namespace Korral.Storage.Contract;

/// <summary>
/// The answer to a <see cref="RangeRequest"/>: <see cref="Revision"/> is the store revision the read was served at,
/// <see cref="Count"/> the number of keys in the range (ignoring the limit), <see cref="More"/> whether the limit cut it short.
/// </summary>
public sealed record RangeResult(IReadOnlyList<KeyValue> Kvs, long Revision, long Count, bool More);
