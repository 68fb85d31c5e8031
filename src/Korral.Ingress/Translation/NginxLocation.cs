namespace Korral.Ingress.Translation;

/// <summary>One <c>location</c> block of a server.</summary>
/// <param name="Match">Exact or prefix comparison.</param>
/// <param name="Path">The string compared with the request path (for prefixes of Prefix paths it ends with '/').</param>
/// <param name="Target">Where matching requests go.</param>
/// <param name="Source">What defined it, for the comment above it: "namespace/ingress: Prefix /foo".</param>
public sealed record NginxLocation(LocationMatch Match, string Path, LocationTarget Target, string Source)
{
    /// <summary>Plain-HTTP requests are redirected (308) to HTTPS: the server has TLS and the Ingress did not opt out.</summary>
    public bool SslRedirect { get; init; }

    /// <summary>client_max_body_size from the proxy-body-size annotation; null: the http-level default.</summary>
    public string? BodySize { get; init; }

    /// <summary>The key nginx refuses duplicates of within a server.</summary>
    public (LocationMatch, string) Key => (Match, Path);
}
