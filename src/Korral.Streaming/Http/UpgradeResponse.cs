namespace Korral.Streaming.Http;

/// <summary>
/// The next hop's answer to an <see cref="UpgradeRequest"/>: 101 with the upgraded <see cref="Stream"/>, or any other
/// status with its whole body (refusals are small: a Status object or a line of text).
/// </summary>
public sealed class UpgradeResponse(int statusCode, string reason, IReadOnlyList<KeyValuePair<string, string>> headers, byte[] body, Stream? stream)
    : IAsyncDisposable
{
    public int StatusCode { get; } = statusCode;

    public string Reason { get; } = reason;

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; } = headers;

    /// <summary>The body of a refusal; empty after a switch.</summary>
    public byte[] Body { get; } = body;

    /// <summary>The connection after 101 Switching Protocols (bytes that came with the response head come first).</summary>
    public Stream? Stream { get; } = stream;

    public bool Switched => StatusCode == 101 && Stream is not null;

    /// <summary>The first value of a header (names compare case-insensitively), or null.</summary>
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public ValueTask DisposeAsync() => Stream?.DisposeAsync() ?? ValueTask.CompletedTask;
}
