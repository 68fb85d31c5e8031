namespace Korral.ApiServer.Serialization;

/// <summary>One media range of an Accept or Content-Type header, with its parameters (as=Table;g=meta.k8s.io;v=v1…).</summary>
public sealed record MediaType(string Type, IReadOnlyDictionary<string, string> Parameters)
{
    public string? Param(string name) => Parameters.TryGetValue(name, out var v) ? v : null;

    public static MediaType Parse(string value)
    {
        var parts = value.Split(';');
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in parts.Skip(1))
        {
            var eq = p.IndexOf('=');
            if (eq > 0)
            {
                parameters[p[..eq].Trim()] = p[(eq + 1)..].Trim().Trim('"');
            }
        }

        return new MediaType(parts[0].Trim().ToLowerInvariant(), parameters);
    }

    /// <summary>The media ranges of an Accept header in the order given (kubectl lists them by preference).</summary>
    public static List<MediaType> ParseAccept(string? accept)
    {
        var result = new List<MediaType>();
        if (string.IsNullOrWhiteSpace(accept))
        {
            return result;
        }

        foreach (var item in SplitTopLevel(accept))
        {
            if (item.Trim().Length > 0)
            {
                result.Add(Parse(item));
            }
        }

        return result;
    }

    private static IEnumerable<string> SplitTopLevel(string header)
    {
        var start = 0;
        var quoted = false;
        for (var i = 0; i < header.Length; i++)
        {
            if (header[i] == '"')
            {
                quoted = !quoted;
            }
            else if (header[i] == ',' && !quoted)
            {
                yield return header[start..i];
                start = i + 1;
            }
        }

        yield return header[start..];
    }
}
