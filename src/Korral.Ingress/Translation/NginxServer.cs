using Korral.Ingress.Tls;

namespace Korral.Ingress.Translation;

/// <summary>One <c>server</c> block: a host of the Ingress rules, or the catch-all server (<see cref="CatchAll"/>).</summary>
/// <param name="Host">The rule's host (<c>foo.com</c>, <c>*.foo.com</c>), or "_" for the catch-all server.</param>
/// <param name="Certificate">The certificate presented on HTTPS: the Ingress's TLS Secret, or the default fake certificate.</param>
/// <param name="Tls">True when an Ingress configures TLS for this host (its certificate, or the fake one when the Secret is unusable).</param>
/// <param name="Locations">Sorted longest path first (ignoring a trailing slash), exact before prefix.</param>
public sealed record NginxServer(string Host, TlsCertificate Certificate, bool Tls, IReadOnlyList<NginxLocation> Locations)
{
    /// <summary>The host name of the server that answers requests no other server's name matches.</summary>
    public const string CatchAll = "_";

    public bool IsCatchAll => Host == CatchAll;
}
