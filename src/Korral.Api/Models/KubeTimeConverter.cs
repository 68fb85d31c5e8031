using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Korral.Api.Models;

/// <summary>meta/v1 Time: RFC 3339 in UTC with second precision ("2024-05-01T10:00:00Z"). Reads any RFC 3339 timestamp.</summary>
public sealed class KubeTimeConverter : JsonConverter<DateTimeOffset>
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadRfc3339(ref reader);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture));

    internal static DateTimeOffset ReadRfc3339(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"a timestamp must be an RFC 3339 string, not {reader.TokenType}");
        }

        var s = reader.GetString()!;
        return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : throw new JsonException($"\"{s}\" is not an RFC 3339 timestamp");
    }
}
