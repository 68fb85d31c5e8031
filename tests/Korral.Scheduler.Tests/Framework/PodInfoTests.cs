using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Tests.Framework;

public sealed class PodInfoTests
{
    private static Container C(string? cpu, string? memory) => new()
    {
        Name = "c",
        Resources = new ResourceRequirements
        {
            Requests = new Dictionary<string, Quantity>()
                .With("cpu", cpu).With("memory", memory),
        },
    };

    [Fact]
    public void Requests_are_the_larger_of_the_container_sum_and_the_biggest_init_container_plus_overhead()
    {
        var pod = new Pod
        {
            Metadata = new ObjectMeta { Name = "p", Namespace = "default", Uid = "u" },
            Spec = new PodSpec
            {
                Containers = [C("100m", "100Mi"), C("200m", null)],
                InitContainers = [C("500m", "50Mi"), C("100m", "1Gi")],
                Overhead = new Dictionary<string, Quantity> { ["cpu"] = Quantity.Parse("10m") },
            },
        };

        var info = PodInfo.From(pod);

        Assert.Equal(510, info.Requests.MilliCpu);
        Assert.Equal(1024L * 1024 * 1024, info.Requests.Memory);
        // Scoring counts the container without a memory request as 200Mi.
        Assert.Equal(510, info.NonZeroMilliCpu);
        Assert.Equal(1024L * 1024 * 1024, info.NonZeroMemory);
    }

    [Fact]
    public void Containers_without_requests_count_as_the_scoring_defaults()
    {
        var pod = new Pod { Metadata = new ObjectMeta { Name = "p", Namespace = "ns" }, Spec = new PodSpec { Containers = [C(null, null), C(null, null)] } };

        var info = PodInfo.From(pod);

        Assert.True(info.Requests.IsZero);
        Assert.Equal(200, info.NonZeroMilliCpu);
        Assert.Equal(2 * PodInfo.DefaultMemoryRequest, info.NonZeroMemory);
        Assert.Equal("ns/p", info.Key);
    }

    [Fact]
    public void Affinity_terms_default_to_the_pods_namespace_and_host_ports_to_tcp_on_any_address()
    {
        var pod = new Pod
        {
            Metadata = new ObjectMeta { Name = "p", Namespace = "web", Labels = new Dictionary<string, string> { ["app"] = "a" } },
            Spec = new PodSpec
            {
                Containers = [new Container { Name = "c", Ports = [new ContainerPort { ContainerPortValue = 80, HostPort = 8080 }, new ContainerPort { ContainerPortValue = 81 }] }],
                Affinity = new Affinity
                {
                    PodAntiAffinity = new PodAntiAffinity
                    {
                        RequiredDuringSchedulingIgnoredDuringExecution =
                        [
                            new PodAffinityTerm
                            {
                                LabelSelector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "a" } },
                                TopologyKey = "kubernetes.io/hostname",
                            },
                        ],
                    },
                },
            },
        };

        var info = PodInfo.From(pod);

        var term = Assert.Single(info.RequiredAntiAffinityTerms);
        Assert.Equal(["web"], term.Namespaces);
        Assert.True(term.Matches(info, null));
        Assert.True(info.HasRequiredAntiAffinity);
        Assert.Equal([new HostPort("TCP", "0.0.0.0", 8080)], info.HostPorts);
    }
}

internal static class QuantityListExtensions
{
    public static Dictionary<string, Quantity> With(this Dictionary<string, Quantity> list, string name, string? value)
    {
        if (value is not null)
        {
            list[name] = Quantity.Parse(value);
        }

        return list;
    }
}
