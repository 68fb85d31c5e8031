using System.Text.Json.Serialization;
using Korral.Api.Models.MetaV1;

namespace Korral.Client;

/// <summary>A list answer of any resource: its ListMeta (resourceVersion, continue) and items.</summary>
public sealed class KubeList<T>
{
    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; set; }

    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("metadata")]
    public ListMeta? Metadata { get; set; }

    [JsonPropertyName("items")]
    public List<T> Items { get; set; } = [];

    /// <summary>The list's resourceVersion: watch from here to see every later change.</summary>
    [JsonIgnore]
    public string? ResourceVersion => Metadata?.ResourceVersion;

    /// <summary>The token for the next page, or null when this is the last one.</summary>
    [JsonIgnore]
    public string? Continue => string.IsNullOrEmpty(Metadata?.Continue) ? null : Metadata.Continue;
}
