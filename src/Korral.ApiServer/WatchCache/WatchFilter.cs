namespace Korral.ApiServer.WatchCache;

/// <summary>What a list or watch asks for: a namespace ("" for all) and a predicate built from its selectors.</summary>
public sealed record WatchFilter(string Namespace, Func<CachedObject, bool>? Predicate)
{
    public static readonly WatchFilter Everything = new("", null);

    public bool Matches(CachedObject obj) =>
        (Namespace.Length == 0 || obj.Namespace == Namespace) && (Predicate is null || Predicate(obj));
}
