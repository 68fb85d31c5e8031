using System.Text;
using Microsoft.AspNetCore.Http;

namespace Korral.ApiServer.Kubelets;

/// <summary>
/// How upstream reads option objects from a query (apimachinery's url.Values conversions) and writes the kubelet's query
/// (Go's url.Values.Encode), so that both ends see the same text as with upstream.
/// </summary>
internal static class GoQuery
{
    /// <summary>runtime.Convert_Slice_string_To_bool: absent is false; otherwise true unless the first value is "0", "f" or "false".</summary>
    public static bool Flag(IQueryCollection query, string name)
    {
        if (!query.TryGetValue(name, out var values) || values.Count == 0)
        {
            return false;
        }

        var first = values[0] ?? "";
        return !(first == "0" || first.Equals("f", StringComparison.OrdinalIgnoreCase) || first.Equals("false", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>A string field: the first value, or empty.</summary>
    public static string First(IQueryCollection query, string name) => query[name].FirstOrDefault() ?? "";

    /// <summary>url.Values.Encode: keys sorted (values of a key keep their order), each part query-escaped.</summary>
    public static string Encode(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var query = new StringBuilder();
        foreach (var (key, value) in pairs.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            query.Append(query.Length == 0 ? "" : "&").Append(Escape(key)).Append('=').Append(Escape(value));
        }

        return query.ToString();
    }

    /// <summary>url.QueryEscape: everything but letters, digits and -_.~ is %-escaped, and a space becomes '+'.</summary>
    public static string Escape(string text) => Uri.EscapeDataString(text).Replace("%20", "+", StringComparison.Ordinal);

    /// <summary>Go's %q of a string: double quotes with backslash escapes.</summary>
    public static string Quote(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in text)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }
}
