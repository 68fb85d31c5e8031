namespace Korral.ApiServer.OpenApi;

/// <summary>One group version's OpenAPI v3 document, e.g. path "apis/apps/v1".</summary>
public sealed record OpenApiV3Document
{
    /// <summary>"api/v1" or "apis/{group}/{version}", as in the /openapi/v3 index.</summary>
    public required string Path { get; init; }

    public required string Group { get; init; }

    public required string Version { get; init; }

    /// <summary>The compact JSON document (application/json).</summary>
    public required byte[] Body { get; init; }

    /// <summary>SHA-512 of <see cref="Body"/>, upper-case hex: the <c>hash</c> query parameter and the ETag.</summary>
    public required string Hash { get; init; }

    /// <summary>"/openapi/v3/apis/apps/v1?hash=…": what the index advertises and kubectl requests (and caches).</summary>
    public string ServerRelativeUrl => $"/openapi/v3/{Path}?hash={Hash}";
}
