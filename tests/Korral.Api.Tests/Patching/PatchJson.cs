using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Korral.Api.Tests.Patching;

/// <summary>JSON helpers for the patch tests: single-quoted literals and a canonical form to compare with.</summary>
internal static class PatchJson
{
    /// <summary>Parses JSON written with single quotes (no apostrophes inside strings), for readable test tables.</summary>
    public static JsonNode? Parse(string json) => JsonNode.Parse(json.Replace('\'', '"'));

    public static JsonObject Object(string json) => (JsonObject)Parse(json)!;

    public static JsonArray Array(string json) => (JsonArray)Parse(json)!;

    /// <summary>Compact JSON with object keys sorted (list order kept), so equal documents print the same.</summary>
    public static string Canonical(JsonNode? node)
    {
        var sb = new StringBuilder();
        Write(sb, node);
        return sb.ToString();
    }

    /// <summary>Compact JSON in the node's own key order, with single quotes, as the test tables write it.</summary>
    public static string Quoted(JsonNode? node) => (node?.ToJsonString() ?? "null").Replace('"', '\'');

    private static void Write(StringBuilder sb, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                sb.Append('{');
                var first = true;
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        sb.Append(',');
                    }

                    first = false;
                    sb.Append(JsonSerializer.Serialize(key)).Append(':');
                    Write(sb, value);
                }

                sb.Append('}');
                break;
            case JsonArray list:
                sb.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    Write(sb, list[i]);
                }

                sb.Append(']');
                break;
            default:
                sb.Append(node?.ToJsonString() ?? "null");
                break;
        }
    }
}
