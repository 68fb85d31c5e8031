using System.Globalization;

namespace Korral.ApiServer.Discovery;

/// <summary>
/// One entry of an HTTP Accept header, e.g. <c>application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList</c>.
/// Type, subtype and parameter names are lower-cased; parameter values keep their case (unquoted).
/// </summary>
public sealed record MediaRange
{
    public required string Type { get; init; }

    public required string SubType { get; init; }

    /// <summary>Parameters other than q, names lower-cased, in the order given.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; init; } = [];

    /// <summary>The q value, 1 when absent.</summary>
    public double Quality { get; init; } = 1.0;

    public string MediaType => $"{Type}/{SubType}";

    /// <summary>The value of a parameter (name compared case-insensitively), or null.</summary>
    public string? Parameter(string name)
    {
        foreach (var (key, value) in Parameters)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>Whether this range names <paramref name="type"/>/<paramref name="subType"/> itself or a wildcard covering it.</summary>
    public bool Covers(string type, string subType) =>
        (Type == "*" || string.Equals(Type, type, StringComparison.OrdinalIgnoreCase))
        && (SubType == "*" || string.Equals(SubType, subType, StringComparison.OrdinalIgnoreCase));

    public bool IsWildcard => Type == "*" || SubType == "*";

    /// <summary>
    /// Parses an Accept header into its media ranges, most preferred first: by q value, then concrete types before
    /// wildcards, then in the order written. Ranges with q=0 and malformed entries are dropped. An absent or blank
    /// header yields <c>*/*</c>.
    /// </summary>
    public static IReadOnlyList<MediaRange> ParseAccept(string? accept)
    {
        if (string.IsNullOrWhiteSpace(accept))
        {
            return [new MediaRange { Type = "*", SubType = "*" }];
        }

        var ranges = new List<(MediaRange Range, int Index)>();
        foreach (var part in SplitOutsideQuotes(accept, ','))
        {
            if (TryParse(part, out var range) && range.Quality > 0)
            {
                ranges.Add((range, ranges.Count));
            }
        }

        return ranges
            .OrderByDescending(r => r.Range.Quality)
            .ThenBy(r => Specificity(r.Range))
            .ThenBy(r => r.Index)
            .Select(r => r.Range)
            .ToArray();
    }

    /// <summary>Parses one media range or media type such as <c>application/json; charset=utf-8</c>.</summary>
    public static bool TryParse(string text, out MediaRange range)
    {
        range = null!;
        var pieces = SplitOutsideQuotes(text, ';');
        if (pieces.Count == 0)
        {
            return false;
        }

        var fullType = pieces[0].Trim();
        if (fullType == "*")
        {
            fullType = "*/*";
        }

        var slash = fullType.IndexOf('/');
        if (slash <= 0 || slash == fullType.Length - 1 || fullType.IndexOf('/', slash + 1) >= 0)
        {
            return false;
        }

        var type = fullType[..slash].Trim().ToLowerInvariant();
        var subType = fullType[(slash + 1)..].Trim().ToLowerInvariant();
        if (type.Length == 0 || subType.Length == 0 || type.Any(char.IsWhiteSpace) || subType.Any(char.IsWhiteSpace)
            || (type == "*" && subType != "*"))
        {
            return false;
        }

        var quality = 1.0;
        var parameters = new List<KeyValuePair<string, string>>();
        foreach (var piece in pieces.Skip(1))
        {
            var trimmed = piece.Trim();
            if (trimmed.Length == 0)
            {
                continue;
            }

            var equals = trimmed.IndexOf('=');
            if (equals <= 0)
            {
                return false;
            }

            var name = trimmed[..equals].Trim().ToLowerInvariant();
            var value = Unquote(trimmed[(equals + 1)..].Trim());
            if (name == "q")
            {
                if (!double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out quality)
                    || quality > 1)
                {
                    return false;
                }
            }
            else
            {
                parameters.Add(new(name, value));
            }
        }

        range = new MediaRange { Type = type, SubType = subType, Parameters = parameters, Quality = quality };
        return true;
    }

    private static int Specificity(MediaRange range) => range.Type == "*" ? 2 : range.SubType == "*" ? 1 : 0;

    private static string Unquote(string value)
    {
        if (value.Length < 2 || value[0] != '"' || value[^1] != '"')
        {
            return value;
        }

        var inner = value.AsSpan(1, value.Length - 2);
        var result = new System.Text.StringBuilder(inner.Length);
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] == '\\' && i + 1 < inner.Length)
            {
                i++;
            }

            result.Append(inner[i]);
        }

        return result.ToString();
    }

    private static List<string> SplitOutsideQuotes(string text, char separator)
    {
        var parts = new List<string>();
        var start = 0;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted && c == '\\')
            {
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == separator && !quoted)
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }

        parts.Add(text[start..]);
        return parts.Where(p => p.Trim().Length > 0).ToList();
    }
}
