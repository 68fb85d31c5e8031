using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Korral.Api.Patching;

/// <summary>JSON equality as the JSON data model defines it: numbers by value, object members in any order.</summary>
internal static class JsonEquality
{
    public static bool Equal(JsonNode? a, JsonNode? b)
    {
        switch (a)
        {
            case null:
                return b is null;
            case JsonObject x:
            {
                if (b is not JsonObject y || x.Count != y.Count)
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

            case JsonArray x:
            {
                if (b is not JsonArray y || x.Count != y.Count)
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

            case JsonValue x when b is JsonValue y:
            {
                var kind = x.GetValueKind();
                if (kind != y.GetValueKind())
                {
                    return false;
                }

                return kind switch
                {
                    JsonValueKind.String => string.Equals(x.GetValue<string>(), y.GetValue<string>(), StringComparison.Ordinal),
                    JsonValueKind.Number => NumbersEqual(x, y),
                    _ => true,
                };
            }

            default:
                return false;
        }
    }

    private static bool NumbersEqual(JsonValue x, JsonValue y)
    {
        var a = x.ToJsonString();
        var b = y.ToJsonString();
        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return true;
        }

        if (decimal.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var da) &&
            decimal.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var db))
        {
            return da == db;
        }

        return double.Parse(a, NumberStyles.Float, CultureInfo.InvariantCulture) == double.Parse(b, NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
