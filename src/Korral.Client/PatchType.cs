namespace Korral.Client;

/// <summary>The kinds of PATCH the API server takes, each a content type.</summary>
public enum PatchType
{
    /// <summary>RFC 6902 JSON Patch: a list of operations (application/json-patch+json).</summary>
    Json,

    /// <summary>RFC 7386 JSON merge patch: lists are replaced whole (application/merge-patch+json).</summary>
    Merge,

    /// <summary>Kubernetes strategic merge patch: lists merged by their merge keys (application/strategic-merge-patch+json).</summary>
    StrategicMerge,

    /// <summary>Server-side apply (application/apply-patch+yaml); needs a field manager.</summary>
    Apply,
}

internal static class PatchTypes
{
    public static string ContentType(this PatchType type) => type switch
    {
        PatchType.Json => "application/json-patch+json",
        PatchType.Merge => "application/merge-patch+json",
        PatchType.StrategicMerge => "application/strategic-merge-patch+json",
        PatchType.Apply => "application/apply-patch+yaml",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown patch type"),
    };
}
