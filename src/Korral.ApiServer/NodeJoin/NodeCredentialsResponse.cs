using System.Text.Json.Serialization;

namespace Korral.ApiServer.NodeJoin;

/// <summary>
/// The answer to a join: the cluster CA, the kubelet's client certificate (user <c>system:node:&lt;name&gt;</c>, group
/// <c>system:nodes</c>) and its serving certificate (the node's name and addresses), certificates and PKCS#8 keys in PEM.
/// </summary>
public sealed record NodeCredentialsResponse
{
    [JsonPropertyName("caCertificate")]
    public required string CaCertificate { get; init; }

    [JsonPropertyName("clientCertificate")]
    public required string ClientCertificate { get; init; }

    [JsonPropertyName("clientKey")]
    public required string ClientKey { get; init; }

    [JsonPropertyName("servingCertificate")]
    public required string ServingCertificate { get; init; }

    [JsonPropertyName("servingKey")]
    public required string ServingKey { get; init; }
}
