using System.Globalization;
using System.Text.Json.Nodes;
using Xunit.Sdk;

namespace Korral.ApiServer.Tests.Fixtures;

/// <summary>Assertions on API answers that print the whole exchange when they fail.</summary>
public static class ApiAssert
{
    public static void Code(int expected, ApiResponse response)
    {
        if (response.Code != expected)
        {
            throw new XunitException($"expected HTTP {expected}, got {response}");
        }
    }

    /// <summary>
    /// A metav1.Status failure: HTTP code, body code, reason and (when given) the exact message. Returns the Status.
    /// </summary>
    public static JsonObject Failure(ApiResponse response, int code, string reason, string? message = null)
    {
        Code(code, response);
        var status = response.Object;
        That((string?)status["kind"] == "Status" && (string?)status["apiVersion"] == "v1", "a v1 Status body", response);
        That((string?)status["status"] == "Failure", "status: Failure", response);
        That(status["code"] is JsonValue c && c.GetValue<int>() == code, $"code: {code} in the body", response);
        That((string?)status["reason"] == reason, $"reason: {reason}", response);
        if (message is not null)
        {
            That((string?)status["message"] == message, $"message: {message}", response);
        }

        return status;
    }

    /// <summary>A Status failure whose message starts with <paramref name="prefix"/>.</summary>
    public static JsonObject FailureStartingWith(ApiResponse response, int code, string reason, string prefix)
    {
        var status = Failure(response, code, reason);
        That(((string?)status["message"] ?? "").StartsWith(prefix, StringComparison.Ordinal), $"message starting with: {prefix}", response);
        return status;
    }

    public static void That(bool condition, string expectation, ApiResponse response)
    {
        if (!condition)
        {
            throw new XunitException($"expected {expectation}; got {response}");
        }
    }

    public static long Rv(JsonNode? obj)
    {
        var text = (string?)obj?["metadata"]?["resourceVersion"];
        Assert.False(string.IsNullOrEmpty(text), $"no metadata.resourceVersion in {obj?.ToJsonString()}");
        return long.Parse(text!, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    public static List<string> Names(JsonObject list) =>
        (list["items"] as JsonArray ?? throw new XunitException($"not a list: {list.ToJsonString()}"))
        .Select(i => (string?)i?["metadata"]?["name"] ?? "")
        .ToList();
}
