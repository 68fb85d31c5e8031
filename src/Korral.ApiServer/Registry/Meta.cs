using System.Globalization;
using System.Text.Json.Nodes;

namespace Korral.ApiServer.Registry;

/// <summary>Small accessors for metadata of objects handled as JSON trees.</summary>
public static class Meta
{
    public static JsonObject Of(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject meta)
        {
            return meta;
        }

        meta = new JsonObject();
        obj["metadata"] = meta;
        return meta;
    }

    public static string Str(JsonObject obj, string field) => obj[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    public static string Name(JsonObject obj) => Str(Of(obj), "name");

    public static string Namespace(JsonObject obj) => Str(Of(obj), "namespace");

    public static long ResourceVersion(JsonObject obj) =>
        long.TryParse(Str(Of(obj), "resourceVersion"), NumberStyles.None, CultureInfo.InvariantCulture, out var rv) ? rv : 0;

    public static void SetResourceVersion(JsonObject obj, long revision) =>
        Of(obj)["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture);

    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static List<string> Finalizers(JsonObject obj) =>
        Of(obj)["finalizers"] is JsonArray a ? a.Select(f => (string?)f ?? "").ToList() : [];

    public static bool IsDeleting(JsonObject obj) => Of(obj)["deletionTimestamp"] is not null;

    /// <summary>A deep copy of a JSON object.</summary>
    public static JsonObject Clone(JsonObject obj) => (JsonObject)obj.DeepClone();
}
