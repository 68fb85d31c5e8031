using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Korral.Api.Models;

/// <summary>meta/v1 MicroTime: RFC 3339 in UTC with six fractional digits ("2024-05-01T10:00:00.123456Z").</summary>
public sealed class KubeMicroTimeConverter : JsonConverter<DateTimeOffset>
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        KubeTimeConverter.ReadRfc3339(ref reader);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture));
}
