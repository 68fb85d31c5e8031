using Korral.Client.Tests.Fixtures;
using Korral.Dns.Cluster;
using static Korral.Dns.Tests.Fixtures.TestObjects;

namespace Korral.Dns.Tests.Fixtures;

/// <summary>
/// The records most tests answer from, modelled on CoreDNS's kubernetes plugin test data: ClusterIP, IPv6 and dual-stack
/// Services, a headless Service with named, unnamed, duplicate-hostname, IPv6 and not-ready endpoints, a portless
/// headless Service, ExternalNames in and out of the zone, a StatefulSet's headless Service and kube-dns.
/// </summary>
public static class TestCluster
{
    /// <summary>The fixed clock's unix seconds (2025-01-01T00:00:00Z): the SOA serial.</summary>
    public const uint Serial = 1735689600;

    public static ClusterRecords Records(PodRecordsMode pods = PodRecordsMode.Insecure)
    {
        var records = new ClusterRecords(new FakeTimeProvider());
        foreach (var ns in new[] { "default", "kube-system", "testns" })
        {
            records.SetNamespace(Namespace(ns));
        }

        records.SetService(Service("testns", "svc1", "10.0.0.1", ("http", "TCP", 80)));
        records.SetEndpointSlice(Slice("testns", "svc1-abcde", "svc1", "IPv4", ["172.0.0.1=ep1a"], ("http", "TCP", 8080)));
        records.SetService(Service("testns", "svcempty", "10.0.0.2", ("http", "TCP", 80)));
        records.SetService(Service("testns", "svc6", "1234:abcd::1", ("http", "TCP", 80)));
        records.SetService(Service("testns", "svc-dual-stack", "10.0.0.3,10::3", ("http", "TCP", 80)));
        records.SetService(Service("testns", "hdls1", null, ("http", "TCP", 80)));
        records.SetEndpointSlice(Slice("testns", "hdls1-v4", "hdls1", "IPv4",
            ["172.0.0.2", "172.0.0.3", "172.0.0.4=dup-name", "172.0.0.5=dup-name", "172.0.0.9!"], ("http", "TCP", 80)));
        records.SetEndpointSlice(Slice("testns", "hdls1-v6", "hdls1", "IPv6", ["5678:abcd::1", "5678:abcd::2"], ("http", "TCP", 80)));
        records.SetService(Service("testns", "hdlsprtls", null));
        records.SetEndpointSlice(Slice("testns", "hdlsprtls-x", "hdlsprtls", "IPv4", ["172.0.0.20"]));
        records.SetService(ExternalName("testns", "external", "ext.interwebs.test"));
        records.SetService(ExternalName("testns", "external-to-service", "svc1.testns.svc.cluster.local."));
        records.SetService(Service("default", "database", null, ("postgres", "TCP", 5432)));
        records.SetEndpointSlice(Slice("default", "database-1", "database", "IPv4",
            ["10.42.0.7=database-statefulset-0", "10.42.0.8=database-statefulset-1"], ("postgres", "TCP", 5432)));
        records.SetService(Service("kube-system", "kube-dns", "10.96.0.10", ("dns", "UDP", 53), ("dns-tcp", "TCP", 53)));
        records.SetPod(Pod("testns", "web-0", "10.240.0.1"));
        records.MarkSynced();
        return records;
    }
}
