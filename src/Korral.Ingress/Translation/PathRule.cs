namespace Korral.Ingress.Translation;

/// <summary>
/// The nginx locations one Ingress path becomes, as ingress-nginx writes them (without regular expressions):
/// <list type="bullet">
/// <item><b>Exact</b> <c>/foo</c>: <c>location = /foo</c>.</item>
/// <item><b>Prefix</b> <c>/foo</c> or <c>/foo/</c>: <c>location /foo/</c> plus <c>location = /foo</c>, so that it matches
/// <c>/foo</c>, <c>/foo/</c> and <c>/foo/bar</c> but not <c>/foobar</c> (the spec matches path elements and ignores a
/// trailing slash). The exact part is only added where no Exact path claims it (Exact wins, per the spec).
/// <c>/</c> is <c>location /</c>.</item>
/// <item><b>ImplementationSpecific</b> <c>/foo</c>: <c>location /foo</c>, a plain string prefix (also <c>/foobar</c>), which
/// is ingress-nginx's meaning without its use-regex annotation.</item>
/// </list>
/// nginx then picks the exact match, else the longest prefix: the spec's "longest match wins".
/// </summary>
/// <param name="Match">The primary location's comparison.</param>
/// <param name="Path">The primary location's string.</param>
/// <param name="DerivedExact">For Prefix paths other than "/", the path without its trailing slash as an exact location.</param>
public sealed record PathRule(LocationMatch Match, string Path, string? DerivedExact)
{
    public const string Exact = "Exact";
    public const string Prefix = "Prefix";
    public const string ImplementationSpecific = "ImplementationSpecific";

    /// <summary>The locations for <paramref name="path"/> of <paramref name="pathType"/>; null with a reason when it cannot be honoured.</summary>
    public static PathRule? For(string? pathType, string? path, out string? problem)
    {
        problem = null;
        path = string.IsNullOrEmpty(path) ? "/" : path;
        if (path[0] != '/')
        {
            problem = $"path \"{path}\" must start with '/'";
            return null;
        }

        if (path.Any(char.IsControl))
        {
            problem = "path with control characters";
            return null;
        }

        switch (pathType ?? ImplementationSpecific)
        {
            case Exact:
                return new PathRule(LocationMatch.Exact, path, null);
            case Prefix:
                var trimmed = path.TrimEnd('/');
                return trimmed.Length == 0
                    ? new PathRule(LocationMatch.Prefix, "/", null)
                    : new PathRule(LocationMatch.Prefix, trimmed + "/", trimmed);
            case ImplementationSpecific:
                return new PathRule(LocationMatch.Prefix, path, null);
            default:
                problem = $"path \"{path}\": unknown pathType \"{pathType}\"";
                return null;
        }
    }
}
