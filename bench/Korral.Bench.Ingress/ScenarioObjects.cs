using Korral.Api.Models.CoreV1;
using Korral.Api.Models.DiscoveryV1;
using Korral.Api.Models.MetaV1;
using Korral.Api.Models.NetworkingV1;
using Korral.Ingress.Translation;

namespace Korral.Bench.Ingress;

using Ingress = Korral.Api.Models.NetworkingV1.Ingress;

/// <summary>The scenario's Service and EndpointSlice, with the pod at 127.0.0.1:podPort.</summary>
internal sealed class ScenarioObjects(int podPort) : IBackendSource
{
    public Ingress Ingress { get; } = new()
    {
        Metadata = new ObjectMeta { Name = "webapp-ingress", Namespace = "default" },
        Spec = new IngressSpec
        {
            Rules =
            [
                new IngressRule
                {
                    Host = "mywebapp.example.com",
                    Http = new HTTPIngressRuleValue
                    {
                        Paths =
                        [
                            new HTTPIngressPath
                            {
                                Path = "/",
                                PathType = "Prefix",
                                Backend = new IngressBackend { Service = new IngressServiceBackend { Name = "webapp-service", Port = new ServiceBackendPort { Number = 80 } } },
                            },
                        ],
                    },
                },
            ],
        },
    };

    public Service? Service(string ns, string name) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Spec = new ServiceSpec { Ports = [new ServicePort { Port = 80, TargetPort = podPort, Protocol = "TCP" }] },
    };

    public IReadOnlyList<EndpointSlice> EndpointSlices(string ns, string service) =>
    [
        new EndpointSlice
        {
            Metadata = new ObjectMeta { Name = service + "-1", Namespace = ns },
            AddressType = "IPv4",
            Ports = [new Korral.Api.Models.DiscoveryV1.EndpointPort { Name = "", Port = podPort, Protocol = "TCP" }],
            Endpoints = [new Endpoint { Addresses = ["127.0.0.1"], Conditions = new EndpointConditions { Ready = true } }],
        },
    ];
}
