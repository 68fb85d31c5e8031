using System.Text;
using System.Text.Json.Nodes;

namespace Korral.ApiServer.Tests.Fixtures;

/// <summary>One HTTP answer: status code, content type and body, with JSON accessors that fail with the body in view.</summary>
public sealed record ApiResponse(int Code, string ContentType, byte[] Bytes, Version HttpVersion, string Request)
{
    public string Text => Encoding.UTF8.GetString(Bytes);

    /// <summary>The Retry-After header, when the answer had one.</summary>
    public string? RetryAfter { get; init; }

    /// <summary>The body as a JSON object (fails the test, showing the body, when it is not one).</summary>
    public JsonObject Object
    {
        get
        {
            try
            {
                return JsonNode.Parse(Bytes) as JsonObject ?? throw new InvalidOperationException("not a JSON object");
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
            {
                throw new Xunit.Sdk.XunitException($"{Request}: expected a JSON object body, got {Code} {ContentType}: {Clip(Text)} ({e.Message})");
            }
        }
    }

    public override string ToString() => $"{Request} → {Code} {ContentType}: {Clip(Text)}";

    private static string Clip(string s) => s.Length > 2000 ? s[..2000] + "…" : s;
}
