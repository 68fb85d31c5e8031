using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Korral.Api.ManagedFields;

/// <summary>
/// The client-side apply annotation, as the field manager keeps it in step for <c>kubectl apply --server-side</c>
/// (manager "kubectl") so that client-side and server-side apply can follow each other.
/// </summary>
public static class LastAppliedConfiguration
{
    public const string Annotation = "kubectl.kubernetes.io/last-applied-configuration";

    /// <summary>Upstream's limit on the total size of an object's annotations (keys and values, in bytes).</summary>
    public const int TotalAnnotationSizeLimit = 256 * 1024;

    /// <summary>The annotation value for an applied configuration: Go's JSON of it without the annotation, and a newline.</summary>
    public static string Build(JsonObject applied)
    {
        var copy = (JsonObject)applied.DeepClone();
        if (copy["metadata"] is JsonObject meta && meta["annotations"] is JsonObject annotations)
        {
            annotations.Remove(Annotation);
        }

        var sb = new StringBuilder();
        JsonValues.WriteGoJson(sb, copy);
        return sb.Append('\n').ToString();
    }

    /// <summary>The annotation's value on an object, or null when absent or empty.</summary>
    public static string? Get(JsonObject obj) =>
        obj["metadata"]?["annotations"]?[Annotation] is JsonValue v && v.GetValueKind() == JsonValueKind.String
        && v.GetValue<string>() is { Length: > 0 } s ? s : null;

    /// <summary>Sets the annotation; drops it instead when the annotations would exceed their size limit.</summary>
    public static void Set(JsonObject obj, string value)
    {
        if (obj["metadata"] is not JsonObject meta)
        {
            meta = new JsonObject();
            obj["metadata"] = meta;
        }

        if (meta["annotations"] is not JsonObject annotations)
        {
            annotations = new JsonObject();
            meta["annotations"] = annotations;
        }

        annotations[Annotation] = value;
        long size = 0;
        foreach (var (key, v) in annotations)
        {
            size += Encoding.UTF8.GetByteCount(key) + (v is JsonValue s && s.GetValueKind() == JsonValueKind.String
                ? Encoding.UTF8.GetByteCount(s.GetValue<string>()) : 0);
        }

        if (size > TotalAnnotationSizeLimit)
        {
            annotations.Remove(Annotation);
        }
    }
}
