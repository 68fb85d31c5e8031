using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Korral.Api.Selectors;

/// <summary>
/// Small, allocation-free readers for objects held as <see cref="JsonObject"/> (the JSON as stored). Missing or
/// mistyped fields read as the type's zero value, the way upstream reads a Go struct field that was never set.
/// </summary>
internal static class JsonRead
{
    public static JsonObject? Obj(JsonObject? o, string key) => o is not null && o.TryGetPropertyValue(key, out var n) ? n as JsonObject : null;

    public static JsonArray? Arr(JsonObject? o, string key) => o is not null && o.TryGetPropertyValue(key, out var n) ? n as JsonArray : null;

    public static bool Has(JsonObject? o, string key) => o is not null && o.TryGetPropertyValue(key, out var n) && n is not null;

    /// <summary>The string at <paramref name="key"/>, or "" when absent, null or not a string.</summary>
    public static string Str(JsonObject? o, string key) => StrOrNull(o, key) ?? "";

    /// <summary>The string at <paramref name="key"/>, or null when absent, null or not a string.</summary>
    public static string? StrOrNull(JsonObject? o, string key)
    {
        if (o is not null && o.TryGetPropertyValue(key, out var n) && n is JsonValue v && v.TryGetValue<string>(out var s))
        {
            return s;
        }

        return null;
    }

    public static string Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    /// <summary>Whether the string at <paramref name="key"/> equals <paramref name="expected"/>, without allocating for parsed JSON.</summary>
    public static bool StrIs(JsonObject? o, string key, string expected)
    {
        if (o is null || !o.TryGetPropertyValue(key, out var n) || n is not JsonValue v)
        {
            return false;
        }

        if (v.TryGetValue<JsonElement>(out var e))
        {
            return e.ValueKind == JsonValueKind.String && e.ValueEquals(expected);
        }

        return v.TryGetValue<string>(out var s) && s == expected;
    }

    /// <summary>The integer at <paramref name="key"/>, or <paramref name="fallback"/> when absent or not an integer.</summary>
    public static long Int(JsonObject? o, string key, long fallback = 0) => IntOrNull(o, key) ?? fallback;

    public static long? IntOrNull(JsonObject? o, string key)
    {
        if (o is null || !o.TryGetPropertyValue(key, out var n) || n is not JsonValue v)
        {
            return null;
        }

        if (v.TryGetValue<long>(out var l))
        {
            return l;
        }

        if (v.TryGetValue<int>(out var i))
        {
            return i;
        }

        if (v.TryGetValue<JsonElement>(out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out l))
        {
            return l;
        }

        if (v.TryGetValue<double>(out var d) && d == Math.Floor(d) && Math.Abs(d) < 9.2e18)
        {
            return (long)d;
        }

        return null;
    }

    public static bool Bool(JsonObject? o, string key) => BoolOrNull(o, key) ?? false;

    public static bool? BoolOrNull(JsonObject? o, string key)
    {
        if (o is not null && o.TryGetPropertyValue(key, out var n) && n is JsonValue v && v.TryGetValue<bool>(out var b))
        {
            return b;
        }

        return null;
    }

    /// <summary>The string at a dotted path of object keys, e.g. ("spec", "nodeName").</summary>
    public static string Path(JsonObject? o, string a, string b) => Str(Obj(o, a), b);

    public static string Path(JsonObject? o, string a, string b, string c) => Str(Obj(Obj(o, a), b), c);

    /// <summary>An RFC 3339 timestamp (metav1.Time or MicroTime) at <paramref name="key"/>, or null when absent or unparsable.</summary>
    public static DateTimeOffset? Time(JsonObject? o, string key)
    {
        if (o is null || !o.TryGetPropertyValue(key, out var n) || n is not JsonValue v)
        {
            return null;
        }

        // Parsed JSON converts straight from its UTF-8 bytes; other values go through the string.
        if (v.TryGetValue<JsonElement>(out var e))
        {
            if (e.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            if (e.TryGetDateTimeOffset(out var parsed))
            {
                return parsed;
            }
        }

        return v.TryGetValue<string>(out var s) && s.Length != 0 ? ParseTime(s) : null;
    }

    public static DateTimeOffset? ParseTime(string s)
    {
        // Fast path for the canonical "2006-01-02T15:04:05Z" form every object carries.
        if (s.Length == 20 && s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[13] == ':' && s[16] == ':' && s[19] == 'Z'
            && TryDigits(s, 0, 4, out var year) && TryDigits(s, 5, 2, out var month) && TryDigits(s, 8, 2, out var day)
            && TryDigits(s, 11, 2, out var hour) && TryDigits(s, 14, 2, out var minute) && TryDigits(s, 17, 2, out var second)
            && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year == 0 ? 1 : year, month)
            && year >= 1 && hour < 24 && minute < 60 && second < 60)
        {
            return new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero);
        }

        return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : null;
    }

    private static bool TryDigits(string s, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var c = s[i];
            if (c is < '0' or > '9')
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
