using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Korral.Api.Validation;

namespace Korral.Api.ManagedFields;

/// <summary>
/// Value semantics of JSON leaves as the field manager needs them: strict equality (numbers by value, objects
/// regardless of key order), upstream's total order (numbers, then strings, booleans, lists, maps, null), Go's JSON
/// encoding (sorted keys, HTML escapes) and Go's <c>%v</c>-like rendering used in field paths.
/// </summary>
internal static class JsonValues
{
    /// <summary>Whether a JSON number is integral and fits a long; otherwise <paramref name="d"/> holds its value.</summary>
    public static bool TryGetInteger(JsonValue v, out long l, out double d)
    {
        d = 0;
        if (v.TryGetValue(out l))
        {
            d = l;
            return true;
        }

        if (v.TryGetValue(out int i))
        {
            l = i;
            d = i;
            return true;
        }

        if (v.TryGetValue(out double dd) || double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out dd))
        {
            d = dd;
            if (Math.Floor(dd) == dd && dd >= -9.2e18 && dd <= 9.2e18)
            {
                l = (long)dd;
                return IsIntegralLiteral(v);
            }

            return false;
        }

        return JsonAccess.TryGetLong(v, out l) && (d = l) == l;
    }

    /// <summary>A number written without fraction or exponent (Go decodes those as int64, others as float64).</summary>
    private static bool IsIntegralLiteral(JsonValue v)
    {
        if (v.TryGetValue(out JsonElement e))
        {
            return e.TryGetInt64(out _);
        }

        return v.TryGetValue(out long _) || v.TryGetValue(out int _) || v.TryGetValue(out short _) || v.TryGetValue(out uint _);
    }

    public static JsonValueKind KindOf(JsonNode? node) => node switch
    {
        null => JsonValueKind.Null,
        JsonObject => JsonValueKind.Object,
        JsonArray => JsonValueKind.Array,
        JsonValue v => v.GetValueKind(),
        _ => JsonValueKind.Undefined,
    };

    /// <summary>Deep equality: numbers by value (1 equals 1.0), object keys in any order, list order matters.</summary>
    public static bool DeepEquals(JsonNode? a, JsonNode? b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        switch (a)
        {
            case null:
                return b is null || (b is JsonValue bn && bn.GetValueKind() == JsonValueKind.Null);
            case JsonObject oa:
                if (b is not JsonObject ob || oa.Count != ob.Count)
                {
                    return false;
                }

                foreach (var (key, value) in oa)
                {
                    if (!ob.TryGetPropertyValue(key, out var other) || !DeepEquals(value, other))
                    {
                        return false;
                    }
                }

                return true;
            case JsonArray aa:
                if (b is not JsonArray ab || aa.Count != ab.Count)
                {
                    return false;
                }

                for (var i = 0; i < aa.Count; i++)
                {
                    if (!DeepEquals(aa[i], ab[i]))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValue va:
                var ka = va.GetValueKind();
                if (b is null)
                {
                    return ka == JsonValueKind.Null;
                }

                if (b is not JsonValue vb)
                {
                    return false;
                }

                if (ka == JsonValueKind.String && va.TryGetValue(out JsonElement ea) && vb.TryGetValue(out JsonElement eb))
                {
                    // Both straight from parsed JSON: compare without materialising the strings.
                    return eb.ValueKind == JsonValueKind.String && JsonElement.DeepEquals(ea, eb);
                }

                var kb = vb.GetValueKind();
                if (ka != kb)
                {
                    return false;
                }

                switch (ka)
                {
                    case JsonValueKind.String:
                        return string.Equals(va.GetValue<string>(), vb.GetValue<string>(), StringComparison.Ordinal);
                    case JsonValueKind.Number:
                        var ia = TryGetInteger(va, out var la, out var da);
                        var ib = TryGetInteger(vb, out var lb, out var db);
                        return ia && ib ? la == lb : da == db;
                    default:
                        return true;
                }

            default:
                return false;
        }
    }

    /// <summary>Upstream's total order of values: numbers &lt; strings &lt; booleans &lt; lists &lt; maps &lt; null.</summary>
    public static int Compare(JsonNode? a, JsonNode? b)
    {
        var ra = Rank(a);
        var rb = Rank(b);
        if (ra != rb)
        {
            return ra.CompareTo(rb);
        }

        switch (ra)
        {
            case 0:
                var va = (JsonValue)a!;
                var vb = (JsonValue)b!;
                var ia = TryGetInteger(va, out var la, out var da);
                var ib = TryGetInteger(vb, out var lb, out var db);
                return ia && ib ? la.CompareTo(lb) : da.CompareTo(db);
            case 1:
                return CompareStrings(((JsonValue)a!).GetValue<string>(), ((JsonValue)b!).GetValue<string>());
            case 2:
                return (KindOf(a) == JsonValueKind.True).CompareTo(KindOf(b) == JsonValueKind.True);
            case 3:
                var aa = (JsonArray)a!;
                var ab = (JsonArray)b!;
                for (var i = 0; i < Math.Min(aa.Count, ab.Count); i++)
                {
                    var c = Compare(aa[i], ab[i]);
                    if (c != 0)
                    {
                        return c;
                    }
                }

                return aa.Count.CompareTo(ab.Count);
            case 4:
                var oa = (JsonObject)a!;
                var ob = (JsonObject)b!;
                var ka = oa.Select(p => p.Key).Order(Utf8Order.Instance).ToList();
                var kb = ob.Select(p => p.Key).Order(Utf8Order.Instance).ToList();
                for (var i = 0; i < Math.Min(ka.Count, kb.Count); i++)
                {
                    var c = CompareStrings(ka[i], kb[i]);
                    if (c != 0)
                    {
                        return c;
                    }

                    c = Compare(oa[ka[i]], ob[kb[i]]);
                    if (c != 0)
                    {
                        return c;
                    }
                }

                return ka.Count.CompareTo(kb.Count);
            default:
                return 0;
        }
    }

    private static int Rank(JsonNode? node) => KindOf(node) switch
    {
        JsonValueKind.Number => 0,
        JsonValueKind.String => 1,
        JsonValueKind.True or JsonValueKind.False => 2,
        JsonValueKind.Array => 3,
        JsonValueKind.Object => 4,
        _ => 5,
    };

    /// <summary>Orders strings as Go compares them: by UTF-8 bytes, i.e. by code point.</summary>
    public static int CompareStrings(string a, string b)
    {
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            var ca = a[i];
            var cb = b[i];
            if (ca != cb)
            {
                return CodePointKey(ca) - CodePointKey(cb);
            }
        }

        return a.Length - b.Length;
    }

    // Surrogates stand for code points above U+FFFF, so they sort after U+E000..U+FFFF.
    private static int CodePointKey(char c) => c >= 0xD800 && c <= 0xDFFF ? c + 0x2000 : c >= 0xE000 ? c - 0x800 : c;

    /// <summary>Compact JSON as Go's encoding/json writes it: sorted keys, HTML characters escaped, integral numbers as integers.</summary>
    public static string GoJson(JsonNode? node)
    {
        var sb = new StringBuilder();
        WriteGoJson(sb, node);
        return sb.ToString();
    }

    public static void WriteGoJson(StringBuilder sb, JsonNode? node)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject o:
                sb.Append('{');
                var first = true;
                foreach (var key in o.Select(p => p.Key).Order(Utf8Order.Instance))
                {
                    if (!first)
                    {
                        sb.Append(',');
                    }

                    first = false;
                    WriteGoString(sb, key);
                    sb.Append(':');
                    WriteGoJson(sb, o[key]);
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
                        WriteGoString(sb, v.GetValue<string>());
                        break;
                    case JsonValueKind.True:
                        sb.Append("true");
                        break;
                    case JsonValueKind.False:
                        sb.Append("false");
                        break;
                    case JsonValueKind.Number:
                        sb.Append(GoNumber(v));
                        break;
                    default:
                        sb.Append("null");
                        break;
                }

                break;
        }
    }

    /// <summary>A number as Go's encoder writes an int64 or a float64 (shortest digits, exponent outside 1e-6..1e21).</summary>
    public static string GoNumber(JsonValue v)
    {
        if (TryGetInteger(v, out var l, out var d))
        {
            return l.ToString(CultureInfo.InvariantCulture);
        }

        if (double.IsNaN(d) || double.IsInfinity(d) || d == 0)
        {
            return "0";
        }

        // Shortest round-trip digits and the decimal exponent of the first digit.
        var shortest = Math.Abs(d).ToString("R", CultureInfo.InvariantCulture);
        var ePos = shortest.IndexOf('E', StringComparison.Ordinal);
        var mantissa = ePos < 0 ? shortest : shortest[..ePos];
        var extra = ePos < 0 ? 0 : int.Parse(shortest[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var intPart = dot < 0 ? mantissa : mantissa[..dot];
        var all = intPart + (dot < 0 ? "" : mantissa[(dot + 1)..]);
        var lead = 0;
        while (lead < all.Length - 1 && all[lead] == '0')
        {
            lead++;
        }

        var digits = all[lead..].TrimEnd('0');
        if (digits.Length == 0)
        {
            digits = "0";
        }

        var exp10 = intPart.Length - 1 - lead + extra;
        var sb = new StringBuilder();
        if (d < 0)
        {
            sb.Append('-');
        }

        var abs = Math.Abs(d);
        if (abs < 1e-6 || abs >= 1e21)
        {
            sb.Append(digits[0]);
            if (digits.Length > 1)
            {
                sb.Append('.').Append(digits, 1, digits.Length - 1);
            }

            var e = Math.Abs(exp10).ToString(CultureInfo.InvariantCulture);
            // Go prints at least two exponent digits, then trims "e-07" to "e-7".
            return sb.Append('e').Append(exp10 < 0 ? '-' : '+').Append(e.Length < 2 && exp10 >= 0 ? "0" : "").Append(e).ToString();
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

    public static void WriteGoString(StringBuilder sb, string s)
    {
        sb.Append('"');
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
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
                    else if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                    {
                        sb.Append(c).Append(s[++i]);
                    }
                    else if (char.IsSurrogate(c))
                    {
                        sb.Append("\\ufffd");
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

    /// <summary>A value as upstream prints it inside a field path: strings quoted, numbers and booleans bare.</summary>
    public static string ToPathString(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return "null";
            case JsonValue v:
                return v.GetValueKind() switch
                {
                    JsonValueKind.String => GoSyntax.Quote(v.GetValue<string>()),
                    JsonValueKind.Number => TryGetInteger(v, out var l, out var d)
                        ? l.ToString(CultureInfo.InvariantCulture) : GoSyntax.Float(d),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    _ => "null",
                };
            case JsonArray a:
                return "[" + string.Join(",", a.Select(ToPathString)) + "]";
            case JsonObject o:
                return string.Concat(o.Select(p => p.Key).Order(Utf8Order.Instance).Select(k => k + "=" + ToPathString(o[k])));
            default:
                return "null";
        }
    }

    /// <summary>Removes null-valued object properties, recursively (a typed round trip drops them upstream).</summary>
    public static void StripNulls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                List<string>? drop = null;
                foreach (var (key, value) in o)
                {
                    if (value is null || (value is JsonValue v && v.GetValueKind() == JsonValueKind.Null))
                    {
                        (drop ??= []).Add(key);
                    }
                    else
                    {
                        StripNulls(value);
                    }
                }

                if (drop is not null)
                {
                    foreach (var key in drop)
                    {
                        o.Remove(key);
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    StripNulls(item);
                }

                break;
        }
    }
}
