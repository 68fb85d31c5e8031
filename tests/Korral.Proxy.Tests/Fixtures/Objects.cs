using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.DiscoveryV1;
using Korral.Api.Models.MetaV1;
using EndpointPort = Korral.Api.Models.DiscoveryV1.EndpointPort;

namespace Korral.Proxy.Tests.Fixtures;

/// <summary>Services and EndpointSlices for rule tests, written the way the API server and the EndpointSlice controller make them.</summary>
public static class Objects
{
    public const string ThisNode = "node-a";
    public const string OtherNode = "node-b";

    public static Service Service(string name, string clusterIP, params ServicePort[] ports) => new()
    {
        Metadata = new ObjectMeta { Namespace = "default", Name = name, ResourceVersion = "1" },
        Spec = new ServiceSpec
        {
            Type = "ClusterIP",
            ClusterIP = clusterIP,
            ClusterIPs = [clusterIP],
            Ports = ports.Length > 0 ? ports : [Port("", 80, 8080)],
            SessionAffinity = "None",
            InternalTrafficPolicy = "Cluster",
        },
    };

    public static ServicePort Port(string name, int port, int targetPort, string protocol = "TCP", int? nodePort = null) =>
        new() { Name = name, Port = port, TargetPort = IntOrString.FromInt(targetPort), Protocol = protocol, NodePort = nodePort };

    public static ServicePort NamedTarget(string name, int port, string targetPort) =>
        new() { Name = name, Port = port, TargetPort = IntOrString.FromString(targetPort), Protocol = "TCP" };

    /// <summary>A slice of <paramref name="service"/> with one port set and endpoints.</summary>
    public static EndpointSlice Slice(string service, string sliceName, EndpointPort[] ports, params Endpoint[] endpoints) => new()
    {
        Metadata = new ObjectMeta
        {
            Namespace = "default",
            Name = sliceName,
            ResourceVersion = "1",
            Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = service },
        },
        AddressType = "IPv4",
        Ports = ports,
        Endpoints = endpoints,
    };

    public static EndpointSlice Slice(string service, params Endpoint[] endpoints) =>
        Slice(service, $"{service}-abc12", [SlicePort("", 8080)], endpoints);

    public static EndpointPort SlicePort(string name, int port, string protocol = "TCP") => new() { Name = name, Port = port, Protocol = protocol };

    public static Endpoint Ready(string ip, string node = OtherNode) => Endpoint(ip, node, ready: true, serving: true, terminating: false);

    public static Endpoint Endpoint(string ip, string node, bool ready, bool serving, bool terminating) => new()
    {
        Addresses = [ip],
        NodeName = node,
        Conditions = new EndpointConditions { Ready = ready, Serving = serving, Terminating = terminating },
    };

    public static Service With(this Service service, Action<ServiceSpec> change)
    {
        change(service.Spec!);
        return service;
    }
}
