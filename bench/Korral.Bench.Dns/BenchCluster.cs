using Korral.Api.Models.CoreV1;
using Korral.Api.Models.DiscoveryV1;
using Korral.Api.Models.MetaV1;
using Korral.Dns.Cluster;

namespace Korral.Bench.Dns;

/// <summary>The index the server answers from: N ClusterIP Services and 100 headless Services of 10 ready endpoints each.</summary>
public static class BenchCluster
{
    public static ClusterRecords Build(int services)
    {
        var records = new ClusterRecords();
        records.SetNamespace(new Namespace { Metadata = new ObjectMeta { Name = "bench" } });
        for (var i = 0; i < services; i++)
        {
            records.SetService(new Service
            {
                Metadata = new ObjectMeta { Namespace = "bench", Name = $"svc-{i}" },
                Spec = new ServiceSpec
                {
                    ClusterIP = $"10.{96 + (i >> 16)}.{(i >> 8) & 255}.{i & 255}",
                    Ports = [new ServicePort { Name = "http", Port = 80, Protocol = "TCP" }],
                },
            });
        }

        for (var i = 0; i < 100; i++)
        {
            records.SetService(new Service
            {
                Metadata = new ObjectMeta { Namespace = "bench", Name = $"headless-{i}" },
                Spec = new ServiceSpec { ClusterIP = "None", Ports = [new ServicePort { Name = "http", Port = 80, Protocol = "TCP" }] },
            });
            records.SetEndpointSlice(new EndpointSlice
            {
                Metadata = new ObjectMeta
                {
                    Namespace = "bench",
                    Name = $"headless-{i}-x",
                    Labels = new Dictionary<string, string> { [ClusterRecords.ServiceNameLabel] = $"headless-{i}" },
                },
                AddressType = "IPv4",
                Endpoints = Enumerable.Range(0, 10).Select(e => new Korral.Api.Models.DiscoveryV1.Endpoint
                {
                    Addresses = [$"10.42.{i}.{e + 1}"],
                    Hostname = $"pod-{e}",
                    Conditions = new EndpointConditions { Ready = true },
                }).ToList(),
                Ports = [new Korral.Api.Models.DiscoveryV1.EndpointPort { Name = "http", Port = 8080, Protocol = "TCP" }],
            });
        }

        records.MarkSynced();
        return records;
    }
}
