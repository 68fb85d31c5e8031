using System.Text.Json;
using System.Text.Json.Serialization;
using Korral.Api.Models.MetaV1;

namespace Korral.Client;

/// <summary>
/// One line of a JSON watch stream ({"type":…,"object":…}), read in one pass: the server writes "type" first, so the
/// object is deserialized straight into <typeparamref name="T"/> (or Status for ERROR); if "object" came first it is
/// buffered as a JsonElement and converted afterwards.
/// </summary>
[JsonConverter(typeof(WatchLineConverterFactory))]
internal sealed class WatchLine<T>
{
    public string? Type { get; set; }

    public T? Object { get; set; }

    public Status? Error { get; set; }
}

internal sealed class WatchLineConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(WatchLine<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(WatchLineConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;
}

internal sealed class WatchLineConverter<T> : JsonConverter<WatchLine<T>>
{
    public override WatchLine<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("a watch event must be a JSON object");
        }

        var line = new WatchLine<T>();
        JsonElement? pending = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var isType = reader.ValueTextEquals("type"u8);
            var isObject = !isType && reader.ValueTextEquals("object"u8);
            reader.Read();
            if (isType)
            {
                line.Type = reader.GetString();
            }
            else if (isObject && line.Type is null)
            {
                pending = JsonElement.ParseValue(ref reader);
            }
            else if (isObject)
            {
                ReadObject(ref reader, line, options);
            }
            else
            {
                reader.Skip();
            }
        }

        if (pending is { } element)
        {
            if (line.Type == "ERROR")
            {
                line.Error = element.Deserialize<Status>(options);
            }
            else
            {
                line.Object = element.Deserialize<T>(options);
            }
        }

        return line;
    }

    private static void ReadObject(ref Utf8JsonReader reader, WatchLine<T> line, JsonSerializerOptions options)
    {
        if (line.Type == "ERROR")
        {
            line.Error = JsonSerializer.Deserialize<Status>(ref reader, options);
        }
        else
        {
            line.Object = JsonSerializer.Deserialize<T>(ref reader, options);
        }
    }

    public override void Write(Utf8JsonWriter writer, WatchLine<T> value, JsonSerializerOptions options) =>
        throw new NotSupportedException("watch lines are only read");
}
