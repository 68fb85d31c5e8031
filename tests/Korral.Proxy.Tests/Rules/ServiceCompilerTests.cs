using Korral.Api.Models.DiscoveryV1;
using Korral.Proxy.Rules;
using static Korral.Proxy.Tests.Fixtures.Objects;

namespace Korral.Proxy.Tests.Rules;

public sealed class ServiceCompilerTests
{
    [Fact]
    public void UnsetConditionsMeanReadyAndServingAndNotTerminating()
    {
        var slice = Slice("web", new Endpoint { Addresses = ["10.42.1.5"], NodeName = ThisNode });

        var port = Assert.Single(ServiceCompiler.Compile(Service("web", "10.96.0.10"), [slice], ThisNode));

        Assert.Equal(new ProxyEndpoint("10.42.1.5", 8080, Ready: true, Serving: true, Terminating: false, IsLocal: true), Assert.Single(port.Endpoints));
    }

    [Fact]
    public void AnEndpointInTwoSlicesCountsOnceTheReadyCopyWinning()
    {
        var old = Slice("web", "web-1", [SlicePort("", 8080)], Endpoint("10.42.1.5", OtherNode, ready: false, serving: false, terminating: false));
        var moved = Slice("web", "web-2", [SlicePort("", 8080)], Ready("10.42.1.5"));

        var port = Assert.Single(ServiceCompiler.Compile(Service("web", "10.96.0.10"), [old, moved], ThisNode));

        Assert.True(Assert.Single(port.Endpoints).Ready);
    }

    [Fact]
    public void SlicePortsMatchServicePortsByNameAndProtocol()
    {
        var service = Service("dns", "10.96.0.10", Port("dns", 53, 53, "UDP"), Port("dns-tcp", 53, 53));
        var slice = Slice("dns", "dns-1", [SlicePort("dns", 5353, "UDP"), SlicePort("dns-tcp", 5354), SlicePort("dns", 9999, "TCP")], Ready("10.42.1.5"));

        var ports = ServiceCompiler.Compile(service, [slice], ThisNode);

        Assert.Equal(["udp 5353", "tcp 5354"], ports.Select(p => $"{p.Protocol} {Assert.Single(p.Endpoints).Port}"));
    }

    [Fact]
    public void IPv6AndForeignProxyServicesAreIgnored()
    {
        var ipv6 = Service("v6", "fd00::10");
        var foreign = Service("other", "10.96.0.11");
        foreign.Metadata!.Labels = new Dictionary<string, string> { [ServiceCompiler.ServiceProxyNameLabel] = "someone-else" };
        var v6Slice = Slice("web", Ready("fd00::5"));
        v6Slice.AddressType = "IPv6";

        Assert.Empty(ServiceCompiler.Compile(ipv6, [], ThisNode));
        Assert.Empty(ServiceCompiler.Compile(foreign, [], ThisNode));
        Assert.Empty(Assert.Single(ServiceCompiler.Compile(Service("web", "10.96.0.10"), [v6Slice], ThisNode)).Endpoints);
    }

    [Fact]
    public void DualStackServicesUseTheirIPv4ClusterIP()
    {
        var service = Service("dual", "fd00::10").With(s => s.ClusterIPs = ["fd00::10", "10.96.0.12"]);

        Assert.Equal("10.96.0.12", Assert.Single(ServiceCompiler.Compile(service, [], ThisNode)).ClusterIP);
    }

    [Fact]
    public void NodePortsAndLoadBalancerIPsOnlyForTheirTypes()
    {
        var clusterIP = Service("c", "10.96.0.10", Port("http", 80, 8080, nodePort: 30080));
        clusterIP.Status = new Korral.Api.Models.CoreV1.ServiceStatus
        {
            LoadBalancer = new Korral.Api.Models.CoreV1.LoadBalancerStatus { Ingress = [new Korral.Api.Models.CoreV1.LoadBalancerIngress { Ip = "192.0.2.1" }] },
        };

        var port = Assert.Single(ServiceCompiler.Compile(clusterIP, [], ThisNode));

        Assert.Equal(0, port.NodePort);
        Assert.Empty(port.LoadBalancerIPs);
    }

    [Fact]
    public void AffinityTimeoutDefaultsToThreeHours()
    {
        var service = Service("s", "10.96.0.10").With(s => s.SessionAffinity = "ClientIP");

        Assert.Equal(10800, Assert.Single(ServiceCompiler.Compile(service, [], ThisNode)).AffinitySeconds);
    }
}
