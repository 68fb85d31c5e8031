using System.Net;
using System.Net.Sockets;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.DiscoveryV1;

namespace Korral.Dns.Cluster;

/// <summary>Builds a <see cref="ServiceEntry"/> from a Service and its EndpointSlices, as CoreDNS reads them.</summary>
internal static class ServiceEntries
{
    public static ServiceEntry Build(Service service, IEnumerable<EndpointSlice> slices)
    {
        var spec = service.Spec;
        var ns = service.Metadata!.Namespace!;
        var name = service.Metadata.Name!;
        var ports = (spec?.Ports ?? []).Where(p => p.Port is > 0 and <= ushort.MaxValue)
            .Select(p => new ServicePortEntry(p.Name ?? "", Protocol(p.Protocol), (ushort)p.Port!.Value)).ToArray();

        if (spec?.Type == "ExternalName")
        {
            var target = spec.ExternalName ?? "";
            return new ServiceEntry(ns, name, ServiceKind.ExternalName, [], target.TrimEnd('.'), ports, []);
        }

        var texts = spec?.ClusterIPs is { Count: > 0 } list ? list.ToArray() : [spec?.ClusterIP ?? ""];
        var clusterIPs = texts.Select(t => IPAddress.TryParse(t, out var a) && a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6 ? a : null)
            .OfType<IPAddress>().ToArray();
        var kind = clusterIPs.Length == 0 ? ServiceKind.Headless : ServiceKind.ClusterIP;
        return new ServiceEntry(ns, name, kind, clusterIPs, null, ports, ReadyEndpoints(slices));
    }

    /// <summary>Ready endpoints of every IP slice (ready unset counts as ready), one per (hostname, address), in slice-name order.</summary>
    private static EndpointEntry[] ReadyEndpoints(IEnumerable<EndpointSlice> slices)
    {
        var seen = new HashSet<(string, IPAddress)>();
        var endpoints = new List<EndpointEntry>();
        foreach (var slice in slices.OrderBy(s => s.Metadata?.Name, StringComparer.Ordinal))
        {
            if (slice.AddressType is not ("IPv4" or "IPv6"))
            {
                continue;
            }

            var ports = (slice.Ports ?? []).Where(p => p.Port is > 0 and <= ushort.MaxValue)
                .Select(p => new ServicePortEntry(p.Name ?? "", Protocol(p.Protocol), (ushort)p.Port!.Value)).ToArray();
            foreach (var endpoint in slice.Endpoints ?? [])
            {
                if (endpoint.Conditions?.Ready == false)
                {
                    continue;
                }

                foreach (var text in endpoint.Addresses ?? [])
                {
                    if (!IPAddress.TryParse(text, out var address))
                    {
                        continue;
                    }

                    var hostname = string.IsNullOrEmpty(endpoint.Hostname) ? DashedAddress.Format(address) : endpoint.Hostname;
                    if (seen.Add((hostname, address)))
                    {
                        endpoints.Add(new EndpointEntry(hostname, address, ports));
                    }
                }
            }
        }

        return [.. endpoints];
    }

    private static string Protocol(string? protocol) => (protocol ?? "TCP").ToLowerInvariant();
}
