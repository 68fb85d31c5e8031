using Korral.Api.Models.CoreV1;
using Korral.Api.Models.DiscoveryV1;
using Korral.Api.Models.NetworkingV1;
using Korral.Ingress.Tests.Fixtures;
using Korral.Ingress.Translation;
using static Korral.Ingress.Tests.Fixtures.TestObjects;

namespace Korral.Ingress.Tests.Translation;

public sealed class BackendResolverTests
{
    private readonly ClusterObjects _objects = new();

    [Fact]
    public void ReadyEndpointsOfAllSlicesOnceEachSorted()
    {
        _objects.Services.Add(Service("web", 80, 8080));
        _objects.EndpointSlices.AddRange([Slice("web", 8080, "10.42.0.9", "10.42.0.10"), Slice("web", 8080, "10.42.0.10", "10.42.0.2")]);
        var notReady = Slice("web", 8080, "10.42.0.3");
        notReady.Endpoints![0].Conditions = new EndpointConditions { Ready = false, Serving = true };
        var unknown = Slice("web", 8080, "10.42.0.4");
        unknown.Endpoints![0].Conditions = null;
        _objects.EndpointSlices.AddRange([notReady, unknown, Slice("other", 8080, "10.42.0.5")]);

        var resolved = Resolve("web", 80);

        Assert.Null(resolved.Problem);
        Assert.Equal(LocationTarget.Proxy("default-web-80"), resolved.Target);
        Assert.Equal(["10.42.0.10:8080", "10.42.0.2:8080", "10.42.0.4:8080", "10.42.0.9:8080"], resolved.Upstream!.Servers);
    }

    [Fact]
    public void NamedServicePortIsMatchedToTheSlicePortOfTheSameName()
    {
        var service = Service("web", 80, 0);
        service.Spec!.Ports = [new ServicePort { Name = "http", Port = 80, TargetPort = "web" }, new ServicePort { Name = "admin", Port = 81, TargetPort = 9000 }];
        _objects.Services.Add(service);
        var slice = Slice("web", 0, "10.42.0.7");
        slice.Ports = [new Api.Models.DiscoveryV1.EndpointPort { Name = "admin", Port = 9000 }, new Api.Models.DiscoveryV1.EndpointPort { Name = "http", Port = 8080 }];
        _objects.EndpointSlices.Add(slice);

        Assert.Equal(["10.42.0.7:8080"], Resolve("web", name: "http").Upstream!.Servers);
        Assert.Equal("default-web-http", Resolve("web", name: "http").Upstream!.Name);
        Assert.Equal(["10.42.0.7:9000"], Resolve("web", 81).Upstream!.Servers);
    }

    [Fact]
    public void UdpSlicePortsAndFqdnSlicesAreNotBackends()
    {
        _objects.Services.Add(Service("dns", 53, 53));
        var udp = Slice("dns", 53, "10.42.0.8");
        udp.Ports![0].Protocol = "UDP";
        var fqdn = Slice("dns", 53, "dns.example.com");
        fqdn.AddressType = "FQDN";
        _objects.EndpointSlices.AddRange([udp, fqdn]);

        Assert.Equal("Service \"default/dns\" has no ready endpoints for port 53", Resolve("dns", 53).Problem);
    }

    [Theory]
    [InlineData("missing", 80, null, "Service \"default/missing\" does not exist")]
    [InlineData("web", 81, null, "Service \"default/web\" has no port 81")]
    [InlineData("web", null, "http", "Service \"default/web\" has no port http")]
    [InlineData("external", 80, null, "Service \"default/external\" is of type ExternalName, which is not supported")]
    [InlineData("empty", 80, null, "Service \"default/empty\" has no ready endpoints for port 80")]
    public void BackendWithoutEndpointsAnswers503(string service, int? number, string? name, string problem)
    {
        _objects.Services.AddRange([Service("web", 80, 8080), Service("empty", 80, 8080)]);
        var external = Service("external", 80, 80);
        external.Spec!.Type = "ExternalName";
        external.Spec.ExternalName = "example.com";
        _objects.Services.Add(external);
        _objects.EndpointSlices.Add(Slice("web", 8080));

        var resolved = Resolve(service, number, name);

        Assert.Equal(LocationTarget.Unavailable, resolved.Target);
        Assert.Null(resolved.Upstream);
        Assert.Equal(problem, resolved.Problem);
    }

    private ResolvedBackend Resolve(string service, int? number = null, string? name = null) =>
        BackendResolver.Resolve(new MemoryBackendSource(_objects), "default",
            new IngressServiceBackend { Name = service, Port = new ServiceBackendPort { Number = number, Name = name } });
}
