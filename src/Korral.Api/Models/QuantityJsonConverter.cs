using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Korral.Api.Models;

/// <summary>Reads a JSON string ("100m") or number (0.5) into <see cref="Quantity"/>; writes the canonical string.</summary>
public sealed class QuantityJsonConverter : JsonConverter<Quantity>
{
    public override Quantity Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string text = reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString()!,
            JsonTokenType.Number => Encoding.UTF8.GetString(reader.HasValueSequence ? BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan),
            _ => throw new JsonException($"a quantity must be a string or a number, not {reader.TokenType}"),
        };
        return Quantity.TryParse(text, out var q) ? q : throw new JsonException($"quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': \"{text}\"");
    }

    public override void Write(Utf8JsonWriter writer, Quantity value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
