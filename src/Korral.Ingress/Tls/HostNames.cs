using System.Text.RegularExpressions;

namespace Korral.Ingress.Tls;

/// <summary>Host names as Ingress rules and certificates use them.</summary>
public static partial class HostNames
{
    /// <summary>
    /// True when <paramref name="host"/> is a name nginx can be given verbatim: a lowercase DNS-1123 subdomain, optionally
    /// behind "*." (what the API server's validation admits). Anything else is refused rather than written into nginx.conf.
    /// </summary>
    public static bool IsValid(string host) => host.Length <= 253 && ValidHost().IsMatch(host);

    /// <summary>True when <paramref name="host"/> starts with "*." (matches exactly one more label, per the Ingress spec).</summary>
    public static bool IsWildcard(string host) => host.StartsWith("*.", StringComparison.Ordinal);

    /// <summary>
    /// True when <paramref name="pattern"/> (a certificate name or a rule host, possibly "*.foo.com") covers
    /// <paramref name="host"/>, case-insensitively; a wildcard stands for exactly one label, and matches a wildcard host
    /// of the same suffix.
    /// </summary>
    public static bool Matches(string pattern, string host)
    {
        if (string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!IsWildcard(pattern) || IsWildcard(host))
        {
            return false;
        }

        var dot = host.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && string.Equals(pattern[1..], host[dot..], StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex(@"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex ValidHost();
}
