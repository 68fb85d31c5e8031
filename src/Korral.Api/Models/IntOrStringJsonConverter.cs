using System.Text.Json;
using System.Text.Json.Serialization;

namespace Korral.Api.Models;

/// <summary>Reads a JSON number (32-bit integer) or string into <see cref="IntOrString"/>; writes it back the same way.</summary>
public sealed class IntOrStringJsonConverter : JsonConverter<IntOrString>
{
    public override IntOrString Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetInt32(out var i) => IntOrString.FromInt(i),
        JsonTokenType.String => IntOrString.FromString(reader.GetString()!),
        _ => throw new JsonException($"IntOrString must be a 32-bit integer or a string, not {reader.TokenType}"),
    };

    public override void Write(Utf8JsonWriter writer, IntOrString value, JsonSerializerOptions options)
    {
        if (value.IsInt)
        {
            writer.WriteNumberValue(value.IntValue);
        }
        else
        {
            writer.WriteStringValue(value.StringValue);
        }
    }
}
