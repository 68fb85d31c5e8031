using System.Globalization;
using Korral.Api.Models.NetworkingV1;

namespace Korral.Ingress.Translation;

/// <summary>
/// Turns an Ingress's service backend into the addresses nginx proxies to: the Service's port (by number or name), then
/// the matching port of its EndpointSlices (by the service port's name, so named and numbered target ports are already
/// resolved per pod), then the ready endpoints' addresses. Anything missing on the way gives 503, as ingress-nginx
/// answers for a backend without endpoints.
/// </summary>
public static class BackendResolver
{
    public static ResolvedBackend Resolve(IBackendSource source, string ns, IngressServiceBackend backend)
    {
        var name = backend.Name ?? "";
        var wanted = backend.Port?.Number is { } number ? number.ToString(CultureInfo.InvariantCulture) : backend.Port?.Name ?? "";
        var key = $"{ns}/{name}";
        var service = source.Service(ns, name);
        if (service is null)
        {
            return Unavailable($"Service \"{key}\" does not exist");
        }

        if (service.Spec?.Type == "ExternalName")
        {
            return Unavailable($"Service \"{key}\" is of type ExternalName, which is not supported");
        }

        var servicePort = service.Spec?.Ports?.FirstOrDefault(p =>
            backend.Port?.Number is { } n ? p.Port == n : !string.IsNullOrEmpty(p.Name) && p.Name == backend.Port?.Name);
        if (servicePort is null)
        {
            return Unavailable($"Service \"{key}\" has no port {wanted}");
        }

        var portName = servicePort.Name ?? "";
        var servers = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var slice in source.EndpointSlices(ns, name))
        {
            var ipv6 = slice.AddressType == "IPv6";
            if (!ipv6 && slice.AddressType != "IPv4")
            {
                continue;
            }

            var slicePort = slice.Ports?.FirstOrDefault(p => (p.Name ?? "") == portName && (p.Protocol ?? "TCP") == "TCP");
            if (slicePort?.Port is not { } port)
            {
                continue;
            }

            foreach (var endpoint in slice.Endpoints ?? [])
            {
                // Upstream's readiness: an endpoint without the condition counts as ready.
                if (endpoint.Conditions?.Ready == false)
                {
                    continue;
                }

                foreach (var address in endpoint.Addresses ?? [])
                {
                    servers.Add(ipv6 ? $"[{address}]:{port}" : $"{address}:{port}");
                }
            }
        }

        if (servers.Count == 0)
        {
            return Unavailable($"Service \"{key}\" has no ready endpoints for port {wanted}");
        }

        return new ResolvedBackend(LocationTarget.Proxy(UpstreamName(ns, name, wanted)), new NginxUpstream(UpstreamName(ns, name, wanted), [.. servers]), null);
    }

    /// <summary>ingress-nginx's upstream name: namespace-service-port (the port as the Ingress names it).</summary>
    public static string UpstreamName(string ns, string service, string port) => $"{ns}-{service}-{port}";

    private static ResolvedBackend Unavailable(string problem) => new(LocationTarget.Unavailable, null, problem);
}
