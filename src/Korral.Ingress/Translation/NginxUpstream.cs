namespace Korral.Ingress.Translation;

/// <summary>
/// An <c>upstream</c> block: one Service port's ready endpoints (ingress-nginx proxies to endpoints directly, not to the
/// cluster IP). Named "namespace-service-port" as ingress-nginx names them.
/// </summary>
/// <param name="Name">The upstream's name in proxy_pass.</param>
/// <param name="Servers">"address:port" (IPv6 in brackets), sorted, at least one.</param>
public sealed record NginxUpstream(string Name, IReadOnlyList<string> Servers);
