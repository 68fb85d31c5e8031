using System.Text.Json.Serialization;

namespace Korral.Kubelet.Images.Mirror;

/// <summary>The platform a manifest is for, as an OCI descriptor carries it (containerd picks its own from an index).</summary>
public sealed record ImagePlatform(
    [property: JsonPropertyName("architecture")] string Architecture,
    [property: JsonPropertyName("os")] string Os)
{
    [JsonPropertyName("variant")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Variant { get; init; }
}
