using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Korral.Api.Selectors;
using static Korral.Api.Selectors.JsonRead;

namespace Korral.Api.Printing;

/// <summary>Cell formatting shared by the printers (upstream's helpers, reading the stored JSON).</summary>
internal static class PrintFormat
{
    private static readonly object[] SmallInts = [.. Enumerable.Range(0, 256).Select(i => (object)(long)i)];
    private static readonly object True = true;
    private static readonly object False = false;

    /// <summary>A boxed integer cell; small values share boxes so long lists allocate less.</summary>
    public static object Int(long value) => value is >= 0 and < 256 ? SmallInts[value] : value;

    public static object Bool(bool value) => value ? True : False;

    public static string Itoa(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Name(JsonObject obj) => JsonRead.Path(obj, "metadata", "name");

    public static JsonObject? Meta(JsonObject obj) => Obj(obj, "metadata");

    /// <summary>The AGE cell: human duration since <c>metadata.creationTimestamp</c>, or <c>&lt;unknown&gt;</c>.</summary>
    public static string Age(JsonObject obj, DateTimeOffset now) => HumanDuration.Since(Time(Meta(obj), "creationTimestamp"), now);

    public static string Since(JsonObject? o, string key, DateTimeOffset now) => HumanDuration.Since(Time(o, key), now);

    public static bool Deleting(JsonObject obj) => Has(Meta(obj), "deletionTimestamp");

    /// <summary>Container names and images of a pod spec, comma-joined (the wide Containers/Images cells).</summary>
    public static (string Names, string Images) Containers(JsonObject? podSpec)
    {
        var containers = Arr(podSpec, "containers");
        if (containers is null || containers.Count == 0)
        {
            return ("", "");
        }

        if (containers.Count == 1)
        {
            var only = containers[0] as JsonObject;
            return (Str(only, "name"), Str(only, "image"));
        }

        var names = new StringBuilder();
        var images = new StringBuilder();
        for (var i = 0; i < containers.Count; i++)
        {
            if (i > 0)
            {
                names.Append(',');
                images.Append(',');
            }

            var c = containers[i] as JsonObject;
            names.Append(Str(c, "name"));
            images.Append(Str(c, "image"));
        }

        return (names.ToString(), images.ToString());
    }

    /// <summary>The pod template spec of a workload (<c>spec.template.spec</c>).</summary>
    public static JsonObject? TemplateSpec(JsonObject? spec) => Obj(Obj(spec, "template"), "spec");

    /// <summary>A label map as <c>k1=v1,k2=v2</c> sorted by key, or <c>&lt;none&gt;</c>.</summary>
    public static string Labels(JsonObject? map)
    {
        if (map is null || map.Count == 0)
        {
            return "<none>";
        }

        var pairs = new List<(string Key, string Value)>(map.Count);
        foreach (var (key, node) in map)
        {
            pairs.Add((key, node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : node?.ToJsonString() ?? ""));
        }

        pairs.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var sb = new StringBuilder();
        foreach (var (key, value) in pairs)
        {
            if (sb.Length > 0)
            {
                sb.Append(',');
            }

            sb.Append(key).Append('=').Append(value);
        }

        return sb.ToString();
    }

    /// <summary>A metav1.LabelSelector in canonical text; <c>&lt;none&gt;</c> when it selects nothing or everything, <c>&lt;error&gt;</c> when invalid.</summary>
    public static string LabelSelector(JsonNode? selector)
    {
        if (!Selectors.LabelSelector.TryFromLabelSelector(selector, out var parsed, out _))
        {
            return "<error>";
        }

        var text = parsed.ToString();
        return text.Length == 0 ? "<none>" : text;
    }

    /// <summary>An IntOrString as text (<c>1</c>, <c>25%</c>).</summary>
    public static string IntOrString(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
        _ => "",
    };

    /// <summary>A resource.Quantity as stored (the server keeps quantities canonical).</summary>
    public static string Quantity(JsonNode? node) => node switch
    {
        null => "<nil>",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v => v.ToJsonString(),
        _ => "<nil>",
    };

    /// <summary>The first non-empty string.</summary>
    public static string FirstNonEmpty(string a, string b) => a.Length != 0 ? a : b;

    /// <summary>Distinct, ordinally sorted values joined by a separator.</summary>
    public static string SortedDistinct(IEnumerable<string> values, string separator)
    {
        var set = new SortedSet<string>(values, StringComparer.Ordinal);
        return string.Join(separator, set);
    }

    /// <summary>Upstream's "a,b,c + N more..." list: at most <paramref name="max"/> items, or <paramref name="empty"/> when none.</summary>
    public static string ListWithMore(List<string> list, int count, int max, string empty)
    {
        var joined = string.Join(",", list);
        if (count > max)
        {
            return joined + " + " + Itoa(count - max) + " more...";
        }

        return joined.Length == 0 ? empty : joined;
    }

    /// <summary>The RFC 3339 UTC text of a timestamp (the "Created At" cell), as upstream formats time.RFC3339.</summary>
    public static string Rfc3339(DateTimeOffset? time) =>
        (time ?? new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The last condition of a type in <c>status.conditions</c>-like arrays.</summary>
    public static JsonObject? Condition(JsonArray? conditions, string type, bool last = false)
    {
        JsonObject? found = null;
        if (conditions is null)
        {
            return null;
        }

        foreach (var item in conditions)
        {
            if (item is JsonObject c && StrIs(c, "type", type))
            {
                if (!last)
                {
                    return c;
                }

                found = c;
            }
        }

        return found;
    }
}
