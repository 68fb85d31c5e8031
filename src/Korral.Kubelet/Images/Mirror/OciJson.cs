using System.Text.Json;

namespace Korral.Kubelet.Images.Mirror;

/// <summary>JSON settings for OCI documents: compact, nulls left out, unknown fields ignored.</summary>
internal static class OciJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Parses a document, or null when the bytes are not JSON of that shape.</summary>
    public static T? TryParse<T>(ReadOnlySpan<byte> json)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);
}
