using System.Text.Json.Serialization;

namespace Korral.ApiServer.NodeJoin;

/// <summary>The body of POST /v1-korral/node-credentials: the joining node's name and the addresses it serves on.</summary>
public sealed record NodeCredentialsRequest
{
    [JsonPropertyName("nodeName")]
    public string? NodeName { get; init; }

    [JsonPropertyName("addresses")]
    public IReadOnlyList<string>? Addresses { get; init; }
}
