namespace Korral.ApiServer.WatchCache;

public enum CacheEventType
{
    Added,
    Modified,
    Deleted,
}

/// <summary>
/// One change seen by the cache. For a delete, <see cref="Object"/> is the last state with the deleting revision as its
/// resourceVersion. <see cref="Previous"/> lets watchers with selectors turn "stopped matching" into a DELETED event.
/// </summary>
public sealed record CacheEvent(CacheEventType Type, CachedObject Object, CachedObject? Previous)
{
    public long Revision => Object.ResourceVersion;
}
