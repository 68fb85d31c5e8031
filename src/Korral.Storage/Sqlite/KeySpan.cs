namespace Korral.Storage.Sqlite;

/// <summary>
/// The keys a range, delete or watch covers, with etcd's conventions: <see cref="End"/> null is the single key
/// <see cref="Key"/>; "\0" is every key from <see cref="Key"/> on; otherwise [Key, End) in ordinal order.
/// </summary>
internal readonly record struct KeySpan(string Key, string? End)
{
    public const string OpenEnd = "\0";

    /// <summary>The span of a request; an empty end means a single key, as in etcd.</summary>
    public static KeySpan Of(string key, string? end) => new(key, string.IsNullOrEmpty(end) ? null : end);

    public bool IsSingle => End is null;

    public bool IsOpenEnded => End == OpenEnd;

    /// <summary>True when the span cannot hold any key (End at or below Key).</summary>
    public bool IsEmpty => End is not null && !IsOpenEnded && string.CompareOrdinal(Key, End) >= 0;

    public bool Contains(string key)
    {
        if (End is null)
        {
            return string.Equals(key, Key, StringComparison.Ordinal);
        }

        return string.CompareOrdinal(key, Key) >= 0 && (IsOpenEnded || string.CompareOrdinal(key, End) < 0);
    }
}
