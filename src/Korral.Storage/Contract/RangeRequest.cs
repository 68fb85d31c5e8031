namespace Korral.Storage.Contract;

/// <summary>
/// Reads keys in [<see cref="Key"/>, <see cref="RangeEnd"/>) in key order, or the single <see cref="Key"/> when
/// <see cref="RangeEnd"/> is null. <see cref="Revision"/> 0 reads the newest state; a positive value reads history
/// (fails with <see cref="CompactedException"/> below the compacted revision and <see cref="FutureRevisionException"/>
/// above the current one). <see cref="Limit"/> 0 means no limit.
/// </summary>
public sealed record RangeRequest(string Key, string? RangeEnd = null, long Revision = 0, long Limit = 0, bool CountOnly = false)
{
    /// <summary>A range over every key that starts with <paramref name="prefix"/>.</summary>
    public static RangeRequest Prefix(string prefix, long revision = 0, long limit = 0) =>
        new(prefix, KeyRange.PrefixEnd(prefix), revision, limit);
}
