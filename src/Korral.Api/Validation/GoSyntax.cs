using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Korral.Api.Validation;

/// <summary>
/// Renders values as upstream (Kubernetes 1.33, Go) prints them inside field errors: <c>%q</c> for strings,
/// <c>%v</c> for numbers and booleans and <c>%#v</c> for maps, slices and structs
/// (<c>map[string]string{"app":"web"}</c>, <c>[]string{"a", "b"}</c>). Composite values we cannot type (an
/// arbitrary JSON object) fall back to compact JSON.
/// </summary>
public static class GoSyntax
{
    /// <summary>A double-quoted string literal with Go escapes (strconv.Quote).</summary>
    public static string Quote(string value)
    {
        var sb = new StringBuilder(value.Length + 2);
        AppendQuoted(sb, value);
        return sb.ToString();
    }

    /// <summary><c>%#v</c> of a map[string]string: keys sorted, <c>map[string]string(nil)</c> for null.</summary>
    public static string StringMap(IEnumerable<KeyValuePair<string, string>>? map)
    {
        if (map is null)
        {
            return "map[string]string(nil)";
        }

        var sb = new StringBuilder("map[string]string{");
        var first = true;
        foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!first)
            {
                sb.Append(", ");
            }

            first = false;
            AppendQuoted(sb, key);
            sb.Append(':');
            AppendQuoted(sb, value);
        }

        return sb.Append('}').ToString();
    }

    /// <summary><c>%#v</c> of a JSON string map (labels, selectors); null gives <c>map[string]string(nil)</c>.</summary>
    public static string StringMap(JsonNode? map) => StringMap(JsonAccess.StringMap(map));

    /// <summary><c>%#v</c> of a []string, <c>[]string(nil)</c> for null.</summary>
    public static string StringSlice(IEnumerable<string>? values)
    {
        if (values is null)
        {
            return "[]string(nil)";
        }

        var sb = new StringBuilder("[]string{");
        var first = true;
        foreach (var v in values)
        {
            if (!first)
            {
                sb.Append(", ");
            }

            first = false;
            AppendQuoted(sb, v);
        }

        return sb.Append('}').ToString();
    }

    /// <summary>
    /// <c>%#v</c> of a metav1.LabelSelector, e.g.
    /// <c>v1.LabelSelector{MatchLabels:map[string]string{"app":"web"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}</c>.
    /// </summary>
    public static GoLiteral LabelSelector(JsonNode? selector)
    {
        if (selector is not JsonObject obj)
        {
            return new GoLiteral("null");
        }

        var sb = new StringBuilder("v1.LabelSelector{MatchLabels:");
        var labels = obj["matchLabels"] as JsonObject;
        sb.Append(labels is null || labels.Count == 0 && obj["matchLabels"] is null
            ? "map[string]string(nil)"
            : StringMap(labels));
        sb.Append(", MatchExpressions:");
        if (obj["matchExpressions"] is JsonArray expressions && expressions.Count > 0)
        {
            sb.Append("[]v1.LabelSelectorRequirement{");
            var first = true;
            foreach (var e in expressions)
            {
                if (!first)
                {
                    sb.Append(", ");
                }

                first = false;
                sb.Append("v1.LabelSelectorRequirement{Key:");
                AppendQuoted(sb, JsonAccess.String(e, "key") ?? "");
                sb.Append(", Operator:");
                AppendQuoted(sb, JsonAccess.String(e, "operator") ?? "");
                sb.Append(", Values:");
                sb.Append(StringSlice(JsonAccess.StringList(e?["values"])));
                sb.Append('}');
            }

            sb.Append('}');
        }
        else
        {
            sb.Append("[]v1.LabelSelectorRequirement(nil)");
        }

        return new GoLiteral(sb.Append('}').ToString());
    }

    /// <summary><c>%#v</c> of an intstr.IntOrString: <c>intstr.IntOrString{Type:1, IntVal:0, StrVal:"25%"}</c>.</summary>
    public static GoLiteral IntOrString(JsonNode? value)
    {
        if (JsonAccess.TryGetLong(value, out var i))
        {
            return new GoLiteral($"intstr.IntOrString{{Type:0, IntVal:{i.ToString(CultureInfo.InvariantCulture)}, StrVal:\"\"}}");
        }

        var s = JsonAccess.AsString(value) ?? "";
        return new GoLiteral($"intstr.IntOrString{{Type:1, IntVal:0, StrVal:{Quote(s)}}}");
    }

    /// <summary>Go's <c>%v</c> of a float64: shortest digits, exponent form below 1e-04 and from 1e+06.</summary>
    public static string Float(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "+Inf" : "-Inf";
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0" : "0";
        }

        var shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var ePos = shortest.IndexOfAny(['E', 'e']);
        var mantissa = ePos < 0 ? shortest : shortest[..ePos];
        var extra = ePos < 0 ? 0 : int.Parse(shortest[(ePos + 1)..], CultureInfo.InvariantCulture);
        var dot = mantissa.IndexOf('.');
        var intPart = dot < 0 ? mantissa : mantissa[..dot];
        var all = intPart + (dot < 0 ? "" : mantissa[(dot + 1)..]);
        var firstNonZero = 0;
        while (firstNonZero < all.Length - 1 && all[firstNonZero] == '0')
        {
            firstNonZero++;
        }

        var digits = all[firstNonZero..].TrimEnd('0');
        if (digits.Length == 0)
        {
            digits = "0";
        }

        var exp10 = intPart.Length - 1 - firstNonZero + extra;
        var sb = new StringBuilder();
        if (value < 0)
        {
            sb.Append('-');
        }

        if (exp10 < -4 || exp10 >= 6)
        {
            sb.Append(digits[0]);
            if (digits.Length > 1)
            {
                sb.Append('.').Append(digits, 1, digits.Length - 1);
            }

            var e = Math.Abs(exp10).ToString(CultureInfo.InvariantCulture);
            return sb.Append('e').Append(exp10 < 0 ? '-' : '+').Append(e.Length < 2 ? "0" : "").Append(e).ToString();
        }

        if (exp10 < 0)
        {
            sb.Append("0.").Append('0', -exp10 - 1).Append(digits);
        }
        else if (digits.Length <= exp10 + 1)
        {
            sb.Append(digits).Append('0', exp10 + 1 - digits.Length);
        }
        else
        {
            sb.Append(digits, 0, exp10 + 1).Append('.').Append(digits, exp10 + 1, digits.Length - exp10 - 1);
        }

        return sb.ToString();
    }

    /// <summary>Renders a bad value as field errors print it (see <see cref="FieldError.Body"/>).</summary>
    public static string Value(object? value)
    {
        switch (value)
        {
            case null:
                return "null";
            case string s:
                return Quote(s);
            case bool b:
                return b ? "true" : "false";
            case int or long or short or sbyte or byte or uint or ulong or ushort:
                return Convert.ToString(value, CultureInfo.InvariantCulture)!;
            case double d:
                return Float(d);
            case float f:
                return Float(f);
            case GoLiteral g:
                return g.Text;
            case JsonNode node:
                return FromJson(node);
            case IEnumerable<KeyValuePair<string, string>> map:
                return StringMap(map);
            case IEnumerable<string> list:
                return StringSlice(list);
            default:
                return value.ToString() ?? "null";
        }
    }

    /// <summary>
    /// A JSON value printed as Go would print the decoded value: strings quoted, numbers as written, string maps as
    /// <c>map[string]string{…}</c>, string lists as <c>[]string{…}</c>, anything else as compact JSON.
    /// </summary>
    public static string FromJson(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return "null";
            case JsonValue v:
                switch (v.GetValueKind())
                {
                    case JsonValueKind.String:
                        return Quote(v.GetValue<string>());
                    case JsonValueKind.True:
                        return "true";
                    case JsonValueKind.False:
                        return "false";
                    case JsonValueKind.Number:
                        return JsonAccess.TryGetLong(v, out var l)
                            ? l.ToString(CultureInfo.InvariantCulture)
                            : Float(JsonAccess.GetDouble(v));
                    default:
                        return "null";
                }

            case JsonObject o when o.All(p => p.Value is JsonValue pv && pv.GetValueKind() == JsonValueKind.String):
                return StringMap(JsonAccess.StringMap(o));
            case JsonArray a when a.All(i => i is JsonValue iv && iv.GetValueKind() == JsonValueKind.String):
                return StringSlice(JsonAccess.StringList(a));
            default:
                return GoJson(node);
        }
    }

    /// <summary>Compact JSON with Go's escaping (HTML characters as \u003c…) and sorted object keys.</summary>
    public static string GoJson(JsonNode? node)
    {
        var sb = new StringBuilder();
        WriteGoJson(sb, node);
        return sb.ToString();
    }

    internal static void AppendQuoted(StringBuilder sb, string value)
    {
        sb.Append('"');
        foreach (var rune in value.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\a': sb.Append("\\a"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\v': sb.Append("\\v"); break;
                default:
                    if (rune.Value < 0x20 || rune.Value == 0x7f)
                    {
                        sb.Append("\\x").Append(rune.Value.ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else if (rune.Value > 0x7f && !IsPrintable(rune))
                    {
                        sb.Append(rune.Value > 0xffff ? "\\U" : "\\u")
                          .Append(rune.Value.ToString(rune.Value > 0xffff ? "x8" : "x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(rune.ToString());
                    }

                    break;
            }
        }

        sb.Append('"');
    }

    private static bool IsPrintable(Rune rune)
    {
        var category = Rune.GetUnicodeCategory(rune);
        return category is not (UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator or UnicodeCategory.SpaceSeparator);
    }

    private static void WriteGoJson(StringBuilder sb, JsonNode? node)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject o:
                sb.Append('{');
                var first = true;
                foreach (var (key, child) in o.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        sb.Append(',');
                    }

                    first = false;
                    WriteGoJsonString(sb, key);
                    sb.Append(':');
                    WriteGoJson(sb, child);
                }

                sb.Append('}');
                break;
            case JsonArray a:
                sb.Append('[');
                for (var i = 0; i < a.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    WriteGoJson(sb, a[i]);
                }

                sb.Append(']');
                break;
            case JsonValue v:
                switch (v.GetValueKind())
                {
                    case JsonValueKind.String:
                        WriteGoJsonString(sb, v.GetValue<string>());
                        break;
                    case JsonValueKind.True:
                        sb.Append("true");
                        break;
                    case JsonValueKind.False:
                        sb.Append("false");
                        break;
                    case JsonValueKind.Number:
                        sb.Append(v.ToJsonString());
                        break;
                    default:
                        sb.Append("null");
                        break;
                }

                break;
        }
    }

    private static void WriteGoJsonString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '<' or '>' or '&' or '\u2028' or '\u2029':
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }
}
