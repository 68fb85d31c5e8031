using System.Globalization;

namespace Korral.Client;

/// <summary>Query parameters of a WATCH.</summary>
public sealed record WatchOptions
{
    /// <summary>
    /// Start after this resourceVersion (normally the list's or the last event's). Null: the server first sends an
    /// ADDED event for every current object, then changes.
    /// </summary>
    public string? ResourceVersion { get; init; }

    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>allowWatchBookmarks: the server sends BOOKMARK events carrying only a newer resourceVersion when idle.</summary>
    public bool AllowWatchBookmarks { get; init; }

    /// <summary>timeoutSeconds: the server ends the stream (normally, without an error) after this long.</summary>
    public int? TimeoutSeconds { get; init; }

    internal void AppendTo(QueryBuilder query)
    {
        query.Add("watch", "true");
        query.Add("resourceVersion", ResourceVersion);
        query.Add("labelSelector", LabelSelector);
        query.Add("fieldSelector", FieldSelector);
        if (AllowWatchBookmarks)
        {
            query.Add("allowWatchBookmarks", "true");
        }

        query.Add("timeoutSeconds", TimeoutSeconds?.ToString(CultureInfo.InvariantCulture));
    }
}
