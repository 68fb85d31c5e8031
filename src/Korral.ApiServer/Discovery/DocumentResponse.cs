namespace Korral.ApiServer.Discovery;

/// <summary>
/// A precomputed answer for a discovery, /version or OpenAPI request: status, Content-Type, body and extra headers.
/// The server writes it out as is; bodies are shared and must not be modified.
/// </summary>
public sealed record DocumentResponse
{
    public required int StatusCode { get; init; }

    /// <summary>The exact Content-Type header value, or null when there is no body.</summary>
    public string? ContentType { get; init; }

    public byte[] Body { get; init; } = [];

    /// <summary>The ETag header value, quoted (<c>"ABC…"</c>), or null.</summary>
    public string? ETag { get; init; }

    /// <summary>Other headers to send (Vary, Cache-Control, Expires, Location).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>
    /// Whether an If-None-Match request header matches <see cref="ETag"/>, so that the server may answer
    /// 304 Not Modified with no body (keeping ETag and the other headers).
    /// </summary>
    public bool IsNotModified(string? ifNoneMatch)
    {
        if (ETag is null || string.IsNullOrWhiteSpace(ifNoneMatch) || StatusCode != 200)
        {
            return false;
        }

        foreach (var candidate in ifNoneMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var tag = candidate.StartsWith("W/", StringComparison.Ordinal) ? candidate[2..] : candidate;
            if (tag == "*" || tag == ETag)
            {
                return true;
            }
        }

        return false;
    }

    internal static DocumentResponse Status(int statusCode) => new() { StatusCode = statusCode };
}
