using System.Text.Json.Serialization;

namespace Korral.Kubelet.Images.Mirror;

/// <summary>A single-platform image manifest: OCI image manifest or Docker schema 2 (the same shape).</summary>
internal sealed record OciManifestDocument
{
    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; init; } = 2;

    [JsonPropertyName("mediaType")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MediaType { get; init; }

    [JsonPropertyName("config")]
    public ContentDescriptor? Config { get; init; }

    [JsonPropertyName("layers")]
    public IReadOnlyList<ContentDescriptor>? Layers { get; init; }

    [JsonPropertyName("manifests")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ContentDescriptor>? Manifests { get; init; }

    /// <summary>
    /// The media type a registry serves this document with: its own field, else what its shape says (the field is
    /// optional in OCI; an index has "manifests", a manifest has "config").
    /// </summary>
    public string? EffectiveMediaType =>
        MediaType is { Length: > 0 } ? MediaType
        : Manifests is not null ? OciMediaTypes.ImageIndex
        : Config is not null ? OciMediaTypes.ImageManifest
        : null;
}
