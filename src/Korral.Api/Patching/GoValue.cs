using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Korral.Api.Validation;

namespace Korral.Api.Patching;

/// <summary>
/// JSON values seen as upstream's merge code sees them after decoding into Go's <c>interface{}</c> (integers kept as
/// int64, other numbers float64): their dynamic type, Go's <c>==</c> and <c>reflect.DeepEqual</c>, and their
/// <c>%v</c>/<c>%s</c> renderings, so that error messages come out as upstream prints them.
/// </summary>
internal static class GoValue
{
    internal enum GoType
    {
        Nil,
        Map,
        Slice,
        String,
        Bool,
        Int64,
        Float64,
    }

    public static GoType TypeOf(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return GoType.Nil;
            case JsonObject:
                return GoType.Map;
            case JsonArray:
                return GoType.Slice;
            case JsonValue v:
                switch (v.GetValueKind())
                {
                    case JsonValueKind.String:
                        return GoType.String;
                    case JsonValueKind.True:
                    case JsonValueKind.False:
                        return GoType.Bool;
                    case JsonValueKind.Number:
                        return TryInt64(v, out _) ? GoType.Int64 : GoType.Float64;
                    default:
                        return GoType.Nil;
                }

            default:
                return GoType.Nil;
        }
    }

    /// <summary>The <c>reflect.Type</c> name as <c>%s</c> prints it (<c>%!s(&lt;nil&gt;)</c> for a JSON null).</summary>
    public static string TypeName(JsonNode? node) => TypeOf(node) switch
    {
        GoType.Map => "map[string]interface {}",
        GoType.Slice => "[]interface {}",
        GoType.String => "string",
        GoType.Bool => "bool",
        GoType.Int64 => "int64",
        GoType.Float64 => "float64",
        _ => "%!s(<nil>)",
    };

    /// <summary>encoding/json's name for a JSON value in an UnmarshalTypeError: object, array, string, number, bool.</summary>
    public static string JsonTypeName(JsonNode? node) => node switch
    {
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => "number",
            JsonValueKind.True or JsonValueKind.False => "bool",
            _ => "null",
        },
        _ => "null",
    };

    /// <summary>Go's <c>==</c> on two decoded values (and reflect.DeepEqual for maps and slices): types must match.</summary>
    public static bool Equal(JsonNode? a, JsonNode? b)
    {
        var type = TypeOf(a);
        if (type != TypeOf(b))
        {
            return false;
        }

        switch (type)
        {
            case GoType.Nil:
                return true;
            case GoType.Map:
            {
                var x = (JsonObject)a!;
                var y = (JsonObject)b!;
                if (x.Count != y.Count)
                {
                    return false;
                }

                foreach (var (key, value) in x)
                {
                    if (!y.TryGetPropertyValue(key, out var other) || !Equal(value, other))
                    {
                        return false;
                    }
                }

                return true;
            }

            case GoType.Slice:
            {
                var x = (JsonArray)a!;
                var y = (JsonArray)b!;
                if (x.Count != y.Count)
                {
                    return false;
                }

                for (var i = 0; i < x.Count; i++)
                {
                    if (!Equal(x[i], y[i]))
                    {
                        return false;
                    }
                }

                return true;
            }

            case GoType.String:
                return string.Equals(a!.GetValue<string>(), b!.GetValue<string>(), StringComparison.Ordinal);
            case GoType.Bool:
                return a!.GetValue<bool>() == b!.GetValue<bool>();
            case GoType.Int64:
                TryInt64((JsonValue)a!, out var i1);
                TryInt64((JsonValue)b!, out var i2);
                return i1 == i2;
            default:
                return Float64((JsonValue)a!) == Float64((JsonValue)b!);
        }
    }

    /// <summary>A string that is equal for two values exactly when <see cref="Equal"/> holds: a hash key.</summary>
    public static string Key(JsonNode? node)
    {
        var sb = new StringBuilder();
        AppendKey(sb, node);
        return sb.ToString();
    }

    /// <summary>Go's <c>%v</c>: <c>map[a:1 b:[x y]]</c>, keys sorted, <c>&lt;nil&gt;</c> for null.</summary>
    public static string V(JsonNode? node)
    {
        var sb = new StringBuilder();
        Append(sb, node, 'v');
        return sb.ToString();
    }

    /// <summary>Go's <c>%s</c>: strings as they are, other scalars as <c>%!s(int64=5)</c>.</summary>
    public static string S(JsonNode? node)
    {
        var sb = new StringBuilder();
        Append(sb, node, 's');
        return sb.ToString();
    }

    /// <summary>Go's <c>fmt.Sprint</c> of a <c>[][]interface{}</c>, as upstream prints the lists it compares.</summary>
    public static string Lists(IEnumerable<IEnumerable<JsonNode?>> lists)
    {
        var sb = new StringBuilder("[");
        var firstList = true;
        foreach (var list in lists)
        {
            if (!firstList)
            {
                sb.Append(' ');
            }

            firstList = false;
            AppendList(sb, list, 'v');
        }

        return sb.Append(']').ToString();
    }

    public static bool TryInt64(JsonValue value, out long result)
    {
        if (value.TryGetValue<long>(out result))
        {
            return true;
        }

        if (value.TryGetValue<int>(out var i))
        {
            result = i;
            return true;
        }

        if (value.GetValueKind() != JsonValueKind.Number)
        {
            result = 0;
            return false;
        }

        // Upstream decodes a number into int64 when its text is an integer (kjson's "preserve ints"), else float64.
        var text = value.ToJsonString();
        return text.IndexOfAny(['.', 'e', 'E']) < 0 &&
            long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result);
    }

    public static double Float64(JsonValue value) =>
        value.TryGetValue<double>(out var d) ? d : double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static void AppendKey(StringBuilder sb, JsonNode? node)
    {
        switch (TypeOf(node))
        {
            case GoType.Nil:
                sb.Append('n');
                break;
            case GoType.String:
                sb.Append('s').Append(node!.GetValue<string>().Length).Append(':').Append(node.GetValue<string>());
                break;
            case GoType.Bool:
                sb.Append(node!.GetValue<bool>() ? "b1" : "b0");
                break;
            case GoType.Int64:
                TryInt64((JsonValue)node!, out var l);
                sb.Append('i').Append(l.ToString(CultureInfo.InvariantCulture)).Append(';');
                break;
            case GoType.Float64:
                sb.Append('f').Append(Float64((JsonValue)node!).ToString("R", CultureInfo.InvariantCulture)).Append(';');
                break;
            case GoType.Slice:
                sb.Append('[');
                foreach (var item in (JsonArray)node!)
                {
                    AppendKey(sb, item);
                }

                sb.Append(']');
                break;
            default:
                sb.Append('{');
                foreach (var (key, value) in ((JsonObject)node!).OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    sb.Append(key.Length).Append(':').Append(key);
                    AppendKey(sb, value);
                }

                sb.Append('}');
                break;
        }
    }

    private static void Append(StringBuilder sb, JsonNode? node, char verb)
    {
        switch (TypeOf(node))
        {
            case GoType.Nil:
                sb.Append(verb == 'v' ? "<nil>" : "%!s(<nil>)");
                break;
            case GoType.String:
                sb.Append(node!.GetValue<string>());
                break;
            case GoType.Bool:
                AppendScalar(sb, verb, "bool", node!.GetValue<bool>() ? "true" : "false");
                break;
            case GoType.Int64:
                TryInt64((JsonValue)node!, out var l);
                AppendScalar(sb, verb, "int64", l.ToString(CultureInfo.InvariantCulture));
                break;
            case GoType.Float64:
                AppendScalar(sb, verb, "float64", GoSyntax.Float(Float64((JsonValue)node!)));
                break;
            case GoType.Slice:
                AppendList(sb, (JsonArray)node!, verb);
                break;
            default:
                sb.Append("map[");
                var first = true;
                foreach (var (key, value) in ((JsonObject)node!).OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        sb.Append(' ');
                    }

                    first = false;
                    sb.Append(key).Append(':');
                    Append(sb, value, verb);
                }

                sb.Append(']');
                break;
        }
    }

    private static void AppendList(StringBuilder sb, IEnumerable<JsonNode?> list, char verb)
    {
        sb.Append('[');
        var first = true;
        foreach (var item in list)
        {
            if (!first)
            {
                sb.Append(' ');
            }

            first = false;
            Append(sb, item, verb);
        }

        sb.Append(']');
    }

    private static void AppendScalar(StringBuilder sb, char verb, string type, string text)
    {
        if (verb == 'v')
        {
            sb.Append(text);
        }
        else
        {
            sb.Append("%!s(").Append(type).Append('=').Append(text).Append(')');
        }
    }
}
