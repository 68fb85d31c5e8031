using System.Text;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.DiscoveryV1;
using Korral.Api.Models.MetaV1;
using Korral.Api.Models.NetworkingV1;

namespace Korral.Ingress.Tests.Fixtures;

using Ingress = Korral.Api.Models.NetworkingV1.Ingress;

/// <summary>Objects for tests that build their cluster in code (backends on loopback ports).</summary>
public static class TestObjects
{
    /// <summary>An Ingress with one rule per (host, path, pathType, service, port).</summary>
    public static Ingress NewIngress(string name, params (string Host, string Path, string PathType, string Service, int Port)[] rules) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = "default", CreationTimestamp = DateTimeOffset.UnixEpoch.AddYears(54) },
        Spec = new IngressSpec
        {
            Rules = [.. rules.GroupBy(r => r.Host).Select(g => new IngressRule
            {
                Host = g.Key,
                Http = new HTTPIngressRuleValue
                {
                    Paths = [.. g.Select(r => new HTTPIngressPath
                    {
                        Path = r.Path,
                        PathType = r.PathType,
                        Backend = new IngressBackend { Service = new IngressServiceBackend { Name = r.Service, Port = new ServiceBackendPort { Number = r.Port } } },
                    })],
                },
            })],
        },
    };

    /// <summary>A ClusterIP Service with one unnamed TCP port.</summary>
    public static Service Service(string name, int port, int targetPort) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = "default" },
        Spec = new ServiceSpec { Ports = [new ServicePort { Port = port, TargetPort = targetPort, Protocol = "TCP" }] },
    };

    /// <summary>The Service's EndpointSlice: ready endpoints at 127.0.0.1 (or the given addresses) on <paramref name="port"/>.</summary>
    public static EndpointSlice Slice(string service, int port, params string[] addresses) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = $"{service}-{Guid.NewGuid():n}"[..(service.Length + 6)],
            Namespace = "default",
            Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = service },
        },
        AddressType = "IPv4",
        Ports = [new Api.Models.DiscoveryV1.EndpointPort { Name = "", Port = port, Protocol = "TCP" }],
        Endpoints = [.. (addresses.Length == 0 ? ["127.0.0.1"] : addresses).Select(a => new Endpoint { Addresses = [a], Conditions = new EndpointConditions { Ready = true } })],
    };

    /// <summary>A kubernetes.io/tls Secret holding a new self-signed certificate for <paramref name="dnsNames"/>.</summary>
    public static Secret TlsSecret(string name, params string[] dnsNames)
    {
        var (certificate, key) = TestCertificates.Create(dnsNames);
        return new Secret
        {
            Metadata = new ObjectMeta { Name = name, Namespace = "default", ResourceVersion = "1" },
            Type = "kubernetes.io/tls",
            Data = new Dictionary<string, byte[]> { ["tls.crt"] = Encoding.UTF8.GetBytes(certificate), ["tls.key"] = Encoding.UTF8.GetBytes(key) },
        };
    }
}
