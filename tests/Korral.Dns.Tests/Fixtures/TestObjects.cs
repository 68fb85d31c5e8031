using Korral.Api.Models.CoreV1;
using Korral.Api.Models.DiscoveryV1;
using Korral.Api.Models.MetaV1;
using Korral.Dns.Cluster;
using EndpointPort = Korral.Api.Models.DiscoveryV1.EndpointPort;

namespace Korral.Dns.Tests.Fixtures;

/// <summary>Services, EndpointSlices and pods as the API would hold them, for seeding <see cref="ClusterRecords"/>.</summary>
public static class TestObjects
{
    public static Service Service(string ns, string name, string? clusterIP, params (string Name, string Protocol, int Port)[] ports) =>
        new()
        {
            Metadata = new ObjectMeta { Namespace = ns, Name = name },
            Spec = new ServiceSpec
            {
                Type = "ClusterIP",
                ClusterIP = clusterIP ?? "None",
                ClusterIPs = clusterIP is null ? ["None"] : clusterIP.Split(','),
                Ports = ports.Select(p => new ServicePort { Name = p.Name.Length == 0 ? null : p.Name, Protocol = p.Protocol, Port = p.Port }).ToList(),
            },
        };

    public static Service ExternalName(string ns, string name, string target) =>
        new()
        {
            Metadata = new ObjectMeta { Namespace = ns, Name = name },
            Spec = new ServiceSpec { Type = "ExternalName", ExternalName = target, Ports = [new ServicePort { Name = "http", Protocol = "TCP", Port = 80 }] },
        };

    /// <summary>A slice of <paramref name="service"/>; endpoints are "address", "address=hostname" or "address!" (not ready).</summary>
    public static EndpointSlice Slice(string ns, string name, string service, string addressType, string[] endpoints,
        params (string Name, string Protocol, int Port)[] ports) =>
        new()
        {
            Metadata = new ObjectMeta { Namespace = ns, Name = name, Labels = new Dictionary<string, string> { [ClusterRecords.ServiceNameLabel] = service } },
            AddressType = addressType,
            Endpoints = endpoints.Select(e =>
            {
                var ready = !e.EndsWith('!');
                var parts = e.TrimEnd('!').Split('=');
                return new Endpoint
                {
                    Addresses = [parts[0]],
                    Hostname = parts.Length > 1 ? parts[1] : null,
                    Conditions = new EndpointConditions { Ready = ready },
                };
            }).ToList(),
            Ports = ports.Select(p => new EndpointPort { Name = p.Name, Protocol = p.Protocol, Port = p.Port }).ToList(),
        };

    public static Namespace Namespace(string name) => new() { Metadata = new ObjectMeta { Name = name } };

    public static Pod Pod(string ns, string name, params string[] ips) =>
        new()
        {
            Metadata = new ObjectMeta { Namespace = ns, Name = name },
            Status = new PodStatus { Phase = "Running", PodIP = ips.FirstOrDefault(), PodIPs = ips.Select(i => new PodIP { Ip = i }).ToList() },
        };
}
