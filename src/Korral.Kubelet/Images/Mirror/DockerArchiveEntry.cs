using System.Text.Json.Serialization;

namespace Korral.Kubelet.Images.Mirror;

/// <summary>One image in a `docker save` archive's manifest.json: config file, names and layer files (paths in the archive).</summary>
internal sealed record DockerArchiveEntry
{
    [JsonPropertyName("Config")]
    public string? Config { get; init; }

    [JsonPropertyName("RepoTags")]
    public IReadOnlyList<string>? RepoTags { get; init; }

    [JsonPropertyName("Layers")]
    public IReadOnlyList<string>? Layers { get; init; }
}
