namespace Korral.Client;

/// <summary>The type of a watch event.</summary>
public enum WatchEventType
{
    Added,
    Modified,
    Deleted,

    /// <summary>No change: the object carries only a newer metadata.resourceVersion to resume from.</summary>
    Bookmark,
}

/// <summary>
/// One event of a watch stream. ERROR events are not delivered as events: the stream throws
/// <see cref="KubeApiException"/> with their Status (410 Expired: list again).
/// </summary>
public readonly record struct WatchEvent<T>(WatchEventType Type, T Object);
