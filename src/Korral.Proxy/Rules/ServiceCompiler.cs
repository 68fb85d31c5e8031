using System.Net;
using System.Net.Sockets;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.DiscoveryV1;

namespace Korral.Proxy.Rules;

/// <summary>
/// Turns one Service and its EndpointSlices into the service ports the proxy programs. Ignored, as by kube-proxy:
/// ExternalName services, headless services (clusterIP None), services labelled for another proxy
/// (service.kubernetes.io/service-proxy-name), and everything IPv6 (this proxy programs iptables, not ip6tables).
/// Slice ports are matched to service ports by name and protocol; their numbers are the target ports (so a named
/// targetPort arrives already resolved per pod by the EndpointSlice controller).
/// </summary>
public static class ServiceCompiler
{
    public const string ServiceProxyNameLabel = "service.kubernetes.io/service-proxy-name";
    public const string ServiceNameLabel = "kubernetes.io/service-name";
    public const int DefaultAffinitySeconds = 10800;

    /// <summary>The ports to program for <paramref name="service"/>; empty when the service is ignored.</summary>
    public static IReadOnlyList<ServicePortInfo> Compile(Service service, IEnumerable<EndpointSlice> slices, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(service);
        var spec = service.Spec;
        var meta = service.Metadata;
        if (spec is null || meta?.Name is not { } serviceName || spec.Type == "ExternalName" || meta.Labels?.ContainsKey(ServiceProxyNameLabel) == true)
        {
            return [];
        }

        var clusterIP = ClusterIPv4(spec);
        if (clusterIP is null || spec.Ports is not { Count: > 0 } ports)
        {
            return [];
        }

        var ns = meta.Namespace ?? "default";
        var externalIPs = IPv4s(spec.ExternalIPs);
        var loadBalancerIPs = spec.Type == "LoadBalancer"
            ? IPv4s(service.Status?.LoadBalancer?.Ingress?.Select(i => i.Ip))
            : [];
        var sourceRanges = spec.Type == "LoadBalancer" ? IPv4Cidrs(spec.LoadBalancerSourceRanges) : [];
        var nodePorts = spec.Type is "NodePort" or "LoadBalancer";
        var affinity = spec.SessionAffinity == "ClientIP"
            ? spec.SessionAffinityConfig?.ClientIP?.TimeoutSeconds ?? DefaultAffinitySeconds
            : 0;
        var endpointsByPort = EndpointsByPort(slices, nodeName);

        var result = new List<ServicePortInfo>(ports.Count);
        foreach (var port in ports)
        {
            if (port.Port is not { } number)
            {
                continue;
            }

            var protocol = (port.Protocol ?? "TCP").ToUpperInvariant();
            var name = port.Name ?? "";
            result.Add(new ServicePortInfo
            {
                Namespace = ns,
                Name = serviceName,
                PortName = name,
                Protocol = protocol.ToLowerInvariant(),
                Port = number,
                NodePort = nodePorts ? port.NodePort ?? 0 : 0,
                ClusterIP = clusterIP,
                ExternalIPs = externalIPs,
                LoadBalancerIPs = loadBalancerIPs,
                LoadBalancerSourceRanges = sourceRanges,
                AffinitySeconds = affinity,
                InternalTrafficLocal = spec.InternalTrafficPolicy == "Local",
                ExternalTrafficLocal = spec.ExternalTrafficPolicy == "Local",
                Endpoints = endpointsByPort.TryGetValue((name, protocol), out var endpoints) ? Sorted(endpoints.Values) : [],
            });
        }

        return result;
    }

    /// <summary>The service's IPv4 cluster IP (first IPv4 of clusterIPs, else clusterIP); null for headless or IPv6-only.</summary>
    internal static string? ClusterIPv4(ServiceSpec spec)
    {
        if (spec.ClusterIPs is { Count: > 0 } ips)
        {
            return ips.FirstOrDefault(IsIPv4);
        }

        return IsIPv4(spec.ClusterIP) ? spec.ClusterIP : null;
    }

    private static List<string> IPv4s(IEnumerable<string?>? addresses) =>
        addresses is null ? [] : [.. addresses.Where(IsIPv4).Select(a => a!).Distinct(StringComparer.Ordinal)];

    /// <summary>IPv4 CIDRs, normalised (" 10.0.0.1/8 " → "10.0.0.0/8"); others are dropped.</summary>
    private static List<string> IPv4Cidrs(IEnumerable<string>? ranges) =>
        ranges is null
            ? []
            : [.. ranges
                .Select(r => IPNetwork.TryParse(r.Trim(), out var n) && n.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? n.ToString() : null)
                .Where(r => r is not null)
                .Select(r => r!)
                .Distinct(StringComparer.Ordinal)];

    private static bool IsIPv4(string? address) =>
        address is not null && IPAddress.TryParse(address, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork && address != "0.0.0.0";

    /// <summary>
    /// (port name, protocol) → endpoints by "ip:port". An address listed in two slices (while an endpoint moves between
    /// slices) counts once, the most usable copy winning.
    /// </summary>
    private static Dictionary<(string Name, string Protocol), Dictionary<string, ProxyEndpoint>> EndpointsByPort(IEnumerable<EndpointSlice> slices, string nodeName)
    {
        var result = new Dictionary<(string, string), Dictionary<string, ProxyEndpoint>>();
        foreach (var slice in slices)
        {
            if (slice.AddressType != "IPv4" || slice.Ports is null || slice.Endpoints is null)
            {
                continue;
            }

            foreach (var port in slice.Ports)
            {
                if (port.Port is not { } number || number <= 0)
                {
                    continue;
                }

                var key = (port.Name ?? "", (port.Protocol ?? "TCP").ToUpperInvariant());
                if (!result.TryGetValue(key, out var byAddress))
                {
                    byAddress = new Dictionary<string, ProxyEndpoint>(StringComparer.Ordinal);
                    result.Add(key, byAddress);
                }

                foreach (var endpoint in slice.Endpoints)
                {
                    if (endpoint.Addresses is not [var ip, ..] || !IsIPv4(ip))
                    {
                        continue;
                    }

                    // Unset conditions mean ready (and serving as ready), not terminating: the API's documented defaults.
                    var ready = endpoint.Conditions?.Ready ?? true;
                    var candidate = new ProxyEndpoint(
                        ip,
                        number,
                        ready,
                        endpoint.Conditions?.Serving ?? ready,
                        endpoint.Conditions?.Terminating ?? false,
                        endpoint.NodeName is { } node && node == nodeName);
                    if (!byAddress.TryGetValue(candidate.Address, out var existing) || Rank(candidate) > Rank(existing))
                    {
                        byAddress[candidate.Address] = candidate;
                    }
                }
            }
        }

        return result;
    }

    private static int Rank(ProxyEndpoint e) => (e.Ready ? 4 : 0) + (e.Serving ? 2 : 0) + (e.Terminating ? 0 : 1);

    private static List<ProxyEndpoint> Sorted(IEnumerable<ProxyEndpoint> endpoints) =>
        [.. endpoints.OrderBy(e => SortKey(e.Ip)).ThenBy(e => e.Port)];

    private static uint SortKey(string ip)
    {
        var bytes = IPAddress.Parse(ip).GetAddressBytes();
        return ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
    }
}
