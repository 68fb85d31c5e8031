namespace Korral.ApiServer.Http;

/// <summary>Tunables of watch streams.</summary>
public sealed record WatchSettings
{
    /// <summary>How often an idle watch that allows bookmarks gets one (upstream: about once a minute).</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a watch without timeoutSeconds stays open before the server ends it (upstream: 30-60 min).</summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromMinutes(30);
}
