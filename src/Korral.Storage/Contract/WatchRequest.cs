namespace Korral.Storage.Contract;

/// <summary>
/// Watches every key in [<see cref="Key"/>, <see cref="RangeEnd"/>) from <see cref="StartRevision"/> inclusive
/// (0: only changes after the revision current when the watch is requested). A start at or below the compacted revision
/// fails with <see cref="CompactedException"/>. The range follows <see cref="RangeRequest"/>'s conventions.
/// </summary>
public sealed record WatchRequest(string Key, string? RangeEnd, long StartRevision)
{
    public static WatchRequest Prefix(string prefix, long startRevision = 0) => new(prefix, KeyRange.PrefixEnd(prefix), startRevision);
}
