using Korral.Api.Models.NetworkingV1;
using Korral.Ingress.Tls;

namespace Korral.Ingress.Translation;

// "Ingress" is the Kubernetes type here, not the namespace Korral.Ingress: an alias inside the namespace is found first.
using Ingress = Korral.Api.Models.NetworkingV1.Ingress;

/// <summary>
/// Merges the Ingresses of our class into nginx servers, locations and upstreams, with ingress-nginx's rules:
/// <list type="bullet">
/// <item>Ingresses are taken oldest first (creationTimestamp, then namespace/name); where two define the same location of
/// a host, the older one wins and the other is reported.</item>
/// <item>Each host is one server; rules without a host go to the catch-all server "_". A server's "/" falls back to the
/// defaultBackend of the Ingress that first named the host, else 404.</item>
/// <item>The catch-all server's "/" goes to the defaultBackend of the oldest Ingress that has one (preferring Ingresses
/// without rules), else 404.</item>
/// <item>A host has TLS when an Ingress lists it under spec.tls (or its TLS Secret's certificate covers it); the Secret's
/// certificate is presented, or the fake default one when the Secret is missing, unusable or not for this host; plain HTTP
/// to it is redirected to HTTPS with 308 unless the Ingress sets ssl-redirect: "false".</item>
/// <item>Backends are endpoints (<see cref="BackendResolver"/>); a backend without any answers 503.</item>
/// </list>
/// </summary>
public static class IngressTranslator
{
    public static NginxConfiguration Translate(IEnumerable<Ingress> ingresses, IBackendSource backends, ICertificateSource certificates)
    {
        var ordered = ingresses
            .OrderBy(i => i.Metadata?.CreationTimestamp ?? DateTimeOffset.MinValue)
            .ThenBy(i => i.Metadata?.Namespace, StringComparer.Ordinal)
            .ThenBy(i => i.Metadata?.Name, StringComparer.Ordinal)
            .ToList();
        return new TranslationBuilder(backends, certificates).Build(ordered);
    }
}
