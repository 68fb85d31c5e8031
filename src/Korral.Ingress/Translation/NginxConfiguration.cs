namespace Korral.Ingress.Translation;

/// <summary>What the Ingresses of our class say nginx should do, before it is written out as nginx.conf.</summary>
/// <param name="Servers">The catch-all server first, then the hosts in ordinal order.</param>
/// <param name="Upstreams">Sorted by name; only those some location proxies to.</param>
/// <param name="Services">"namespace/name" of every Service an Ingress refers to: changes to others need no new configuration.</param>
/// <param name="Secrets">"namespace/name" of every TLS Secret an Ingress refers to.</param>
/// <param name="Problems">What could not be honoured (missing services, bad hosts, conflicting paths, unusable certificates).</param>
public sealed record NginxConfiguration(
    IReadOnlyList<NginxServer> Servers,
    IReadOnlyList<NginxUpstream> Upstreams,
    IReadOnlySet<string> Services,
    IReadOnlySet<string> Secrets,
    IReadOnlyList<string> Problems);
