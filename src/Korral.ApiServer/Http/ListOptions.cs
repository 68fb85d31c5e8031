using System.Globalization;
using System.Text;
using System.Text.Json;
using Korral.ApiServer.Errors;
using Microsoft.AspNetCore.Http;

namespace Korral.ApiServer.Http;

/// <summary>The query parameters of list and watch requests.</summary>
public sealed record ListOptions
{
    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    public long Limit { get; init; }

    public string? Continue { get; init; }

    public string? ResourceVersion { get; init; }

    public string? ResourceVersionMatch { get; init; }

    public bool Watch { get; init; }

    public bool AllowWatchBookmarks { get; init; }

    public int? TimeoutSeconds { get; init; }

    /// <summary>For Tables: "Object" (full objects), "Metadata" (default) or "None".</summary>
    public string IncludeObject { get; init; } = "Metadata";

    public static ListOptions From(IQueryCollection query)
    {
        return new ListOptions
        {
            LabelSelector = NonEmpty(query["labelSelector"]),
            FieldSelector = NonEmpty(query["fieldSelector"]),
            Limit = ParseLong(query["limit"], "limit"),
            Continue = NonEmpty(query["continue"]),
            ResourceVersion = NonEmpty(query["resourceVersion"]),
            ResourceVersionMatch = NonEmpty(query["resourceVersionMatch"]),
            Watch = IsTrue(query["watch"]),
            AllowWatchBookmarks = IsTrue(query["allowWatchBookmarks"]),
            TimeoutSeconds = query.ContainsKey("timeoutSeconds") ? (int)ParseLong(query["timeoutSeconds"], "timeoutSeconds") : null,
            IncludeObject = NonEmpty(query["includeObject"]) ?? "Metadata",
        };
    }

    public static bool IsTrue(string? value) => value is "true" or "1" or "True";

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static long ParseLong(string? value, string name)
    {
        if (string.IsNullOrEmpty(value))
        {
            return 0;
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw ApiErrors.BadRequest($"invalid value for {name}: \"{value}\"");
    }

    /// <summary>Parses a resourceVersion parameter; a non-number is a 400 as upstream.</summary>
    public static long ParseResourceVersion(string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var rv)
            ? rv
            : throw ApiErrors.BadRequest($"invalid resource version: \"{value}\"");
}

/// <summary>A continue token: the revision the list started at and the last key returned.</summary>
public sealed record ContinueToken(long Revision, string StartAfter)
{
    public string Encode()
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["v"] = "meta.k8s.io/v1", ["rv"] = Revision, ["start"] = StartAfter });
        return Convert.ToBase64String(json).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static ContinueToken Decode(string token)
    {
        try
        {
            var b64 = token.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=');
            using var doc = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(b64)));
            var rv = doc.RootElement.GetProperty("rv").GetInt64();
            var start = doc.RootElement.GetProperty("start").GetString() ?? "";
            if (rv <= 0 || start.Length == 0)
            {
                throw new FormatException("empty continue token");
            }

            return new ContinueToken(rv, start);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw ApiErrors.BadRequest($"continue key is not valid: {ex.Message}");
        }
    }
}
