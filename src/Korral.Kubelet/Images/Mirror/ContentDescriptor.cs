using System.Text.Json.Serialization;

namespace Korral.Kubelet.Images.Mirror;

/// <summary>An OCI content descriptor: what a blob is, its digest and its size (plus, in an index, platform and annotations).</summary>
public sealed record ContentDescriptor(
    [property: JsonPropertyName("mediaType")] string MediaType,
    [property: JsonPropertyName("digest")] string Digest,
    [property: JsonPropertyName("size")] long Size)
{
    [JsonPropertyName("platform")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ImagePlatform? Platform { get; init; }

    [JsonPropertyName("annotations")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}
