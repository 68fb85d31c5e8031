using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Korral.Api.Validation;

/// <summary>
/// Lenient readers over <see cref="JsonNode"/> trees for validation and defaulting: a field of the wrong JSON type
/// reads as absent (the schema check reports type errors before per-kind rules run).
/// </summary>
internal static class JsonAccess
{
    public static JsonObject? Obj(JsonNode? node, string key) => (node as JsonObject)?[key] as JsonObject;

    public static JsonArray? Arr(JsonNode? node, string key) => (node as JsonObject)?[key] as JsonArray;

    public static JsonNode? Get(JsonNode? node, string key) => (node as JsonObject)?[key];

    /// <summary>Whether the object has the key with a non-null value.</summary>
    public static bool Has(JsonNode? node, string key) =>
        node is JsonObject o && o.TryGetPropertyValue(key, out var v) && v is not null && v.GetValueKind() != JsonValueKind.Null;

    public static string? String(JsonNode? node, string key) => AsString((node as JsonObject)?[key]);

    /// <summary>The string, or "" when absent or not a string (Go's zero value).</summary>
    public static string Str(JsonNode? node, string key) => String(node, key) ?? "";

    public static string? AsString(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public static bool IsString(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String;

    public static bool IsNumber(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.Number;

    public static bool? Bool(JsonNode? node, string key) => (node as JsonObject)?[key] is JsonValue v
        ? v.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => null,
        }
        : null;

    public static long? Long(JsonNode? node, string key) => TryGetLong((node as JsonObject)?[key], out var l) ? l : null;

    /// <summary>Reads an integral JSON number.</summary>
    public static bool TryGetLong(JsonNode? node, out long value)
    {
        value = 0;
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number)
        {
            return false;
        }

        if (v.TryGetValue(out value))
        {
            return true;
        }

        var text = v.ToJsonString();
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == decimal.Truncate(d)
            && d >= long.MinValue && d <= long.MaxValue)
        {
            value = (long)d;
            return true;
        }

        return false;
    }

    public static double GetDouble(JsonValue v) =>
        v.TryGetValue<double>(out var d) ? d : double.Parse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>The string entries of a JSON object (non-string values are skipped); null when not an object.</summary>
    public static Dictionary<string, string>? StringMap(JsonNode? node)
    {
        if (node is not JsonObject o)
        {
            return null;
        }

        var map = new Dictionary<string, string>(o.Count, StringComparer.Ordinal);
        foreach (var (key, value) in o)
        {
            if (AsString(value) is { } s)
            {
                map[key] = s;
            }
        }

        return map;
    }

    /// <summary>The string items of a JSON array (other items read as ""); null when not an array.</summary>
    public static List<string>? StringList(JsonNode? node)
    {
        if (node is not JsonArray a)
        {
            return null;
        }

        var list = new List<string>(a.Count);
        foreach (var item in a)
        {
            list.Add(AsString(item) ?? "");
        }

        return list;
    }

    /// <summary>The items of an array field with their index; items that are not objects read as empty objects.</summary>
    public static IEnumerable<(int Index, JsonObject Item)> Items(JsonNode? node, string key)
    {
        if (Arr(node, key) is not { } array)
        {
            yield break;
        }

        for (var i = 0; i < array.Count; i++)
        {
            yield return (i, array[i] as JsonObject ?? []);
        }
    }

    public static int Count(JsonNode? node, string key) => node is JsonObject o && o[key] is JsonArray a ? a.Count
        : node is JsonObject o2 && o2[key] is JsonObject m ? m.Count : 0;

    /// <summary>The child object at <paramref name="key"/>, created when absent or null.</summary>
    public static JsonObject Ensure(JsonObject parent, string key)
    {
        if (parent[key] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        parent[key] = created;
        return created;
    }

    /// <summary>Sets <paramref name="key"/> when it is absent or null.</summary>
    public static void SetIfMissing(JsonObject obj, string key, JsonNode value)
    {
        if (!Has(obj, key))
        {
            obj[key] = value;
        }
    }

    /// <summary>Sets a string field when it is absent, null or "" (Go's zero value).</summary>
    public static void SetIfEmpty(JsonObject obj, string key, string value)
    {
        if (string.IsNullOrEmpty(Str(obj, key)))
        {
            obj[key] = value;
        }
    }

    /// <summary>
    /// Upstream's semantic equality on the JSON form: a field that is absent, null or holds its Go zero value
    /// ("", 0, false, an empty list or object) compares equal to any other of those, numbers compare by value.
    /// (Pointer fields, where nil and zero differ upstream, are treated the same way: lenient on purpose.)
    /// </summary>
    public static bool SemanticEquals(JsonNode? a, JsonNode? b)
    {
        var ea = IsEmptyValue(a);
        var eb = IsEmptyValue(b);
        if (ea || eb)
        {
            return ea && eb;
        }

        switch (a)
        {
            case JsonObject oa when b is JsonObject ob:
                foreach (var (key, value) in oa)
                {
                    if (!SemanticEquals(value, ob[key]))
                    {
                        return false;
                    }
                }

                foreach (var (key, value) in ob)
                {
                    if (!oa.ContainsKey(key) && !IsEmptyValue(value))
                    {
                        return false;
                    }
                }

                return true;
            case JsonArray aa when b is JsonArray ab:
                if (aa.Count != ab.Count)
                {
                    return false;
                }

                for (var i = 0; i < aa.Count; i++)
                {
                    if (!SemanticEquals(aa[i], ab[i]) && !(aa[i] is null && ab[i] is null))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValue va when b is JsonValue vb:
                var ka = va.GetValueKind();
                if (ka != vb.GetValueKind())
                {
                    return false;
                }

                if (ka == JsonValueKind.Number)
                {
                    var sa = va.ToJsonString();
                    var sb = vb.ToJsonString();
                    return sa == sb || (decimal.TryParse(sa, NumberStyles.Float, CultureInfo.InvariantCulture, out var da)
                        && decimal.TryParse(sb, NumberStyles.Float, CultureInfo.InvariantCulture, out var db) && da == db);
                }

                return ka == JsonValueKind.String ? va.GetValue<string>() == vb.GetValue<string>() : true;
            default:
                return false;
        }
    }

    private static bool IsEmptyValue(JsonNode? node) => node switch
    {
        null => true,
        JsonArray a => a.Count == 0,
        JsonObject o => o.All(p => IsEmptyValue(p.Value)),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.Null or JsonValueKind.False => true,
            JsonValueKind.String => v.GetValue<string>().Length == 0,
            JsonValueKind.Number => v.ToJsonString() is "0" or "0.0",
            _ => false,
        },
        _ => false,
    };

    /// <summary>A deep copy (the same node cannot have two parents).</summary>
    public static JsonNode? Clone(JsonNode? node) => node?.DeepClone();
}
