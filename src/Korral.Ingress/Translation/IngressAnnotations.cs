using System.Text.RegularExpressions;
using Korral.Api.Models.NetworkingV1;

namespace Korral.Ingress.Translation;

// "Ingress" is the Kubernetes type here, not the namespace Korral.Ingress: an alias inside the namespace is found first.
using Ingress = Korral.Api.Models.NetworkingV1.Ingress;

/// <summary>
/// The few ingress-nginx annotations honoured here (nginx.ingress.kubernetes.io/…). Others are ignored, as ingress-nginx
/// ignores annotations it does not know; snippets are never taken (they would let any Ingress author write nginx.conf).
/// </summary>
public static partial class IngressAnnotations
{
    public const string Prefix = "nginx.ingress.kubernetes.io/";

    /// <summary>"false" turns off the HTTP → HTTPS redirect of hosts with TLS (ingress-nginx's default is on).</summary>
    public const string SslRedirect = Prefix + "ssl-redirect";

    /// <summary>client_max_body_size for the Ingress's paths, e.g. "8m" (ingress-nginx's default is 1m).</summary>
    public const string ProxyBodySize = Prefix + "proxy-body-size";

    /// <summary>False when the Ingress turns the TLS redirect off.</summary>
    public static bool WantsSslRedirect(Ingress ingress) =>
        Value(ingress, SslRedirect) is not { } value || !string.Equals(value.Trim(), "false", StringComparison.OrdinalIgnoreCase);

    /// <summary>The body size limit, null when not set; a value nginx would not take is a problem, and ignored.</summary>
    public static string? BodySize(Ingress ingress, out string? problem)
    {
        problem = null;
        if (Value(ingress, ProxyBodySize) is not { } value)
        {
            return null;
        }

        value = value.Trim();
        if (Size().IsMatch(value))
        {
            return value;
        }

        problem = $"annotation {ProxyBodySize}: \"{value}\" is not a size such as 8m (ignored)";
        return null;
    }

    private static string? Value(Ingress ingress, string key) =>
        ingress.Metadata?.Annotations is { } annotations && annotations.TryGetValue(key, out var value) ? value : null;

    [GeneratedRegex("^[0-9]{1,9}[kKmMgG]?$")]
    private static partial Regex Size();
}
