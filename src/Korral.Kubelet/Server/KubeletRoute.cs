namespace Korral.Kubelet.Server;

/// <summary>
/// One endpoint of the kubelet API: the methods, a path template whose <c>{name}</c> segments capture one path segment
/// each, the nodes subresource callers are authorized for (upstream: "proxy" unless a path family has its own), and the
/// handler.
/// </summary>
public sealed record KubeletRoute(IReadOnlyList<string> Methods, string Template, string Subresource, Func<KubeletRequest, Task> Handler)
{
    private readonly string[] _segments = Template.Trim('/').Split('/');

    /// <summary>The path's values when <paramref name="path"/> fits the template (segments unescaped), else null.</summary>
    public IReadOnlyDictionary<string, string>? Match(string path)
    {
        var parts = path.Trim('/').Split('/');
        if (parts.Length != _segments.Length)
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < parts.Length; i++)
        {
            var segment = _segments[i];
            if (segment.StartsWith('{') && segment.EndsWith('}'))
            {
                if (parts[i].Length == 0)
                {
                    return null;
                }

                values[segment[1..^1]] = Uri.UnescapeDataString(parts[i]);
            }
            else if (!string.Equals(segment, parts[i], StringComparison.Ordinal))
            {
                return null;
            }
        }

        return values;
    }
}
