namespace Korral.ApiServer.Registry;

/// <summary>Per-request facts a write needs: who asks, when, whether it is a dry run, the field manager.</summary>
public sealed record WriteContext(DateTimeOffset Now, bool DryRun, string? FieldManager, string User)
{
    /// <summary>The client's User-Agent, from which a field manager is named when the request names none.</summary>
    public string? UserAgent { get; init; }

    /// <summary>Whether the object is the result of a server-side apply, which has recorded its managed fields itself.</summary>
    public bool Applied { get; init; }

    public static WriteContext System(DateTimeOffset now) => new(now, false, "korral", "system:apiserver");
}
