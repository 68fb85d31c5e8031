using System.Text.Json.Serialization;

namespace Korral.Kubelet.Images.Mirror;

/// <summary>An OCI image index (index.json of a layout, or a multi-platform index blob).</summary>
internal sealed record OciIndexDocument
{
    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; init; } = 2;

    [JsonPropertyName("mediaType")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MediaType { get; init; } = OciMediaTypes.ImageIndex;

    [JsonPropertyName("manifests")]
    public IReadOnlyList<ContentDescriptor>? Manifests { get; init; } = [];
}
