using System.Text;
using System.Text.Json.Nodes;

namespace Korral.Api.Validation;

/// <summary>
/// A short description of what differs between two JSON trees, appended after upstream's "… may not change fields
/// other than …" messages (upstream prints a Go struct diff there; its layout is not reproduced).
/// </summary>
public static class SpecDiff
{
    /// <summary>One line per changed leaf: <c>- path: old</c> / <c>+ path: new</c>, indented by two spaces.</summary>
    public static string Describe(JsonNode? oldValue, JsonNode? newValue, string rootPath)
    {
        var sb = new StringBuilder();
        Walk(oldValue, newValue, rootPath, sb);
        return sb.ToString().TrimEnd('\n');
    }

    private static void Walk(JsonNode? a, JsonNode? b, string path, StringBuilder sb)
    {
        if (JsonAccess.SemanticEquals(a, b))
        {
            return;
        }

        if (a is JsonObject oa && b is JsonObject ob)
        {
            foreach (var key in oa.Select(p => p.Key).Union(ob.Select(p => p.Key)))
            {
                Walk(oa[key], ob[key], path.Length == 0 ? key : path + "." + key, sb);
            }

            return;
        }

        if (a is JsonArray aa && b is JsonArray ab && aa.Count == ab.Count)
        {
            for (var i = 0; i < aa.Count; i++)
            {
                Walk(aa[i], ab[i], $"{path}[{i}]", sb);
            }

            return;
        }

        if (a is not null && !JsonAccess.SemanticEquals(a, null))
        {
            sb.Append("  - ").Append(path).Append(": ").Append(GoSyntax.GoJson(a)).Append('\n');
        }

        if (b is not null && !JsonAccess.SemanticEquals(b, null))
        {
            sb.Append("  + ").Append(path).Append(": ").Append(GoSyntax.GoJson(b)).Append('\n');
        }
    }
}
