using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Korral.Api.Models;

/// <summary>
/// The shared System.Text.Json settings for the typed models: nulls are not written, unknown properties are ignored,
/// Time/IntOrString/Quantity use their converters, non-ASCII text is written as is. Reflection-based; the options are read-only.
/// </summary>
public static class KubeJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        o.Converters.Add(new KubeTimeConverter());
        o.Converters.Add(new IntOrStringJsonConverter());
        o.Converters.Add(new QuantityJsonConverter());
        o.MakeReadOnly();
        return o;
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static byte[] SerializeToUtf8Bytes<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    public static T? Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options);

    public static T? Deserialize<T>(ReadOnlySpan<byte> utf8Json) => JsonSerializer.Deserialize<T>(utf8Json, Options);

    /// <summary>A typed model as a JSON tree (what the server's generic paths work on).</summary>
    public static JsonNode? ToNode<T>(T value) => JsonSerializer.SerializeToNode(value, Options);

    /// <summary>A JSON tree as a typed model.</summary>
    public static T? FromNode<T>(JsonNode? node) => node.Deserialize<T>(Options);
}
