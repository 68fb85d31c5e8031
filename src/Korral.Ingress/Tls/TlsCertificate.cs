namespace Korral.Ingress.Tls;

/// <summary>A certificate with its key in one PEM file nginx reads (ssl_certificate and ssl_certificate_key both name it).</summary>
/// <param name="Path">The file (0600, under the controller's certs directory).</param>
/// <param name="Names">The DNS names it is valid for: subject alternative names, else the common name.</param>
/// <param name="NotAfter">When it expires (expired certificates are still served, with a warning, as ingress-nginx does).</param>
public sealed record TlsCertificate(string Path, IReadOnlyList<string> Names, DateTimeOffset NotAfter)
{
    /// <summary>True when one of <see cref="Names"/> covers <paramref name="host"/> (a wildcard covers exactly one label).</summary>
    public bool Covers(string host) => Names.Any(name => HostNames.Matches(name, host));
}
