namespace Korral.ApiServer.WatchCache;

/// <summary>What a list or watch asks for: a namespace ("" for all) and a predicate built from its selectors.</summary>
public sealed record WatchFilter(string Namespace, Func<CachedObject, bool>? Predicate)
{
    public static readonly WatchFilter Everything = new("", null);

    public bool Matches(CachedObject obj) =>
        (Namespace.Length == 0 || obj.Namespace == Namespace) && (Predicate is null || Predicate(obj));

    /// <summary>
    /// What a watcher with this filter sees of a change, or null for nothing: an object that starts matching arrives
    /// as ADDED and one that stops matching as DELETED, as upstream reports selector transitions.
    /// </summary>
    public CacheEventType? Classify(CacheEvent e)
    {
        var now = Matches(e.Object);
        var before = e.Previous is not null && Matches(e.Previous);
        return e.Type switch
        {
            CacheEventType.Added when now => CacheEventType.Added,
            CacheEventType.Modified when now && before => CacheEventType.Modified,
            CacheEventType.Modified when now => CacheEventType.Added,
            CacheEventType.Modified when before => CacheEventType.Deleted,
            CacheEventType.Deleted when now => CacheEventType.Deleted,
            _ => null,
        };
    }
}
