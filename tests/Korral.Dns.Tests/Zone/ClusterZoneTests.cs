using System.Net;
using Korral.Dns.Cluster;
using Korral.Dns.Tests.Fixtures;
using Korral.Dns.Wire;
using Korral.Dns.Zone;

namespace Korral.Dns.Tests.Zone;

/// <summary>
/// The cluster zone, case by case against <see cref="TestCluster"/>; the expectations follow CoreDNS's kubernetes plugin
/// (its handler, reverse and pod-mode tests) and the Kubernetes DNS specification.
/// </summary>
public sealed class ClusterZoneTests
{
    private const string Soa = "cluster.local. 5 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1735689600 7200 1800 86400 5";

    private static readonly ClusterZone Zone = new(TestCluster.Records(), new ClusterZoneOptions { NameserverAddresses = [IPAddress.Parse("10.96.0.10")] });

    public static TheoryData<string, DnsType, DnsRcode, string[], string[]> Cases => new()
    {
        // Services with a cluster IP
        { "svc1.testns.svc.cluster.local.", DnsType.A, DnsRcode.NoError, ["svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1"], [] },
        { "svcempty.testns.svc.cluster.local.", DnsType.A, DnsRcode.NoError, ["svcempty.testns.svc.cluster.local. 5 IN A 10.0.0.2"], [] },
        { "svc1.testns.svc.cluster.local.", DnsType.AAAA, DnsRcode.NoError, [], [] },
        { "svc6.testns.svc.cluster.local.", DnsType.AAAA, DnsRcode.NoError, ["svc6.testns.svc.cluster.local. 5 IN AAAA 1234:abcd::1"], [] },
        { "svc6.testns.svc.cluster.local.", DnsType.A, DnsRcode.NoError, [], [] },
        { "svc-dual-stack.testns.svc.cluster.local.", DnsType.A, DnsRcode.NoError, ["svc-dual-stack.testns.svc.cluster.local. 5 IN A 10.0.0.3"], [] },
        { "svc-dual-stack.testns.svc.cluster.local.", DnsType.AAAA, DnsRcode.NoError, ["svc-dual-stack.testns.svc.cluster.local. 5 IN AAAA 10::3"], [] },
        { "svc1.testns.svc.cluster.local.", DnsType.SOA, DnsRcode.NoError, [], [] },
        { "svc1.testns.svc.cluster.local.", DnsType.TXT, DnsRcode.NoError, [], [] },
        // SRV: every port for the service name, a named port below it; targets' addresses as additional records
        { "svc1.testns.svc.cluster.local.", DnsType.SRV, DnsRcode.NoError, ["svc1.testns.svc.cluster.local. 5 IN SRV 0 100 80 svc1.testns.svc.cluster.local."],
            ["svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1"] },
        { "svc6.testns.svc.cluster.local.", DnsType.SRV, DnsRcode.NoError, ["svc6.testns.svc.cluster.local. 5 IN SRV 0 100 80 svc6.testns.svc.cluster.local."],
            ["svc6.testns.svc.cluster.local. 5 IN AAAA 1234:abcd::1"] },
        { "_http._tcp.svc1.testns.svc.cluster.local.", DnsType.SRV, DnsRcode.NoError,
            ["_http._tcp.svc1.testns.svc.cluster.local. 5 IN SRV 0 100 80 svc1.testns.svc.cluster.local."], ["svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1"] },
        { "svc-dual-stack.testns.svc.cluster.local.", DnsType.SRV, DnsRcode.NoError,
            ["svc-dual-stack.testns.svc.cluster.local. 5 IN SRV 0 50 80 svc-dual-stack.testns.svc.cluster.local."],
            ["svc-dual-stack.testns.svc.cluster.local. 5 IN A 10.0.0.3", "svc-dual-stack.testns.svc.cluster.local. 5 IN AAAA 10::3"] },
        { "_dns._udp.kube-dns.kube-system.svc.cluster.local.", DnsType.SRV, DnsRcode.NoError,
            ["_dns._udp.kube-dns.kube-system.svc.cluster.local. 5 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local."],
            ["kube-dns.kube-system.svc.cluster.local. 5 IN A 10.96.0.10"] },
        { "_http._tcp.svc1.testns.svc.cluster.local.", DnsType.A, DnsRcode.NoError, [], [] },
        { "_http._udp.svc1.testns.svc.cluster.local.", DnsType.SRV, DnsRcode.NXDomain, [], [] },
        { "_https._tcp.svc1.testns.svc.cluster.local.", DnsType.SRV, DnsRcode.NXDomain, [], [] },
        { "http.tcp.svc1.testns.svc.cluster.local.", DnsType.SRV, DnsRcode.NXDomain, [], [] },
        { "_tcp.svc1.testns.svc.cluster.local.", DnsType.A, DnsRcode.NoError, [], [] },
        { "_udp.svc1.testns.svc.cluster.local.", DnsType.A, DnsRcode.NXDomain, [], [] },
        // Headless: one record per ready endpoint; endpoints by hostname or dashed address
        { "hdls1.testns.svc.cluster.local.", DnsType.A, DnsRcode.NoError,
            ["hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.2", "hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.3",
             "hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.4", "hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.5"], [] },
        { "hdls1.testns.svc.cluster.local.", DnsType.AAAA, DnsRcode.NoError,
            ["hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::1", "hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::2"], [] },
        { "hdlsprtls.testns.svc.cluster.local.", DnsType.A, DnsRcode.NoError, ["hdlsprtls.testns.svc.cluster.local. 5 IN A 172.0.0.20"], [] },
        { "hdlsprtls.testns.svc.cluster.local.", DnsType.SRV, DnsRcode.NoError, [], [] },
        { "172-0-0-20.hdlsprtls.testns.svc.cluster.local.", DnsType.A, DnsRcode.NoError, ["172-0-0-20.hdlsprtls.testns.svc.cluster.local. 5 IN A 172.0.0.20"], [] },
        { "172-0-0-2.hdls1.testns.svc.cluster.local.", DnsType.A, DnsRcode.NoError, ["172-0-0-2.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.2"], [] },
        { "172-0-0-4.hdls1.testns.svc.cluster.local.", DnsType.A, DnsRcode.NXDomain, [], [] }, // has a hostname: known only by it
        { "172-0-0-9.hdls1.testns.svc.cluster.local.", DnsType.A, DnsRcode.NXDomain, [], [] }, // not ready
        { "dup-name.hdls1.testns.svc.cluster.local.", DnsType.A, DnsRcode.NoError,
            ["dup-name.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.4", "dup-name.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.5"], [] },
        { "5678-abcd--2.hdls1.testns.svc.cluster.local.", DnsType.AAAA, DnsRcode.NoError, ["5678-abcd--2.hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::2"], [] },
        { "5678-abcd--2.hdls1.testns.svc.cluster.local.", DnsType.A, DnsRcode.NoError, [], [] },
        { "ep1a.svc1.testns.svc.cluster.local.", DnsType.A, DnsRcode.NoError, ["ep1a.svc1.testns.svc.cluster.local. 5 IN A 172.0.0.1"], [] },
        { "bogusendpoint.hdls1.testns.svc.cluster.local.", DnsType.A, DnsRcode.NXDomain, [], [] },
        { "bogusendpoint.svc0.testns.svc.cluster.local.", DnsType.A, DnsRcode.NXDomain, [], [] },
        { "_http._tcp.hdls1.testns.svc.cluster.local.", DnsType.SRV, DnsRcode.NoError,
            ["_http._tcp.hdls1.testns.svc.cluster.local. 5 IN SRV 0 16 80 172-0-0-2.hdls1.testns.svc.cluster.local.",
             "_http._tcp.hdls1.testns.svc.cluster.local. 5 IN SRV 0 16 80 172-0-0-3.hdls1.testns.svc.cluster.local.",
             "_http._tcp.hdls1.testns.svc.cluster.local. 5 IN SRV 0 16 80 5678-abcd--1.hdls1.testns.svc.cluster.local.",
             "_http._tcp.hdls1.testns.svc.cluster.local. 5 IN SRV 0 16 80 5678-abcd--2.hdls1.testns.svc.cluster.local.",
             "_http._tcp.hdls1.testns.svc.cluster.local. 5 IN SRV 0 16 80 dup-name.hdls1.testns.svc.cluster.local."],
            ["172-0-0-2.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.2", "172-0-0-3.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.3",
             "5678-abcd--1.hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::1", "5678-abcd--2.hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::2",
             "dup-name.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.4", "dup-name.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.5"] },
        // A StatefulSet's pods by hostname under its headless Service
        { "database-statefulset-0.database.default.svc.cluster.local.", DnsType.A, DnsRcode.NoError,
            ["database-statefulset-0.database.default.svc.cluster.local. 5 IN A 10.42.0.7"], [] },
        { "_postgres._tcp.database.default.svc.cluster.local.", DnsType.SRV, DnsRcode.NoError,
            ["_postgres._tcp.database.default.svc.cluster.local. 5 IN SRV 0 50 5432 database-statefulset-0.database.default.svc.cluster.local.",
             "_postgres._tcp.database.default.svc.cluster.local. 5 IN SRV 0 50 5432 database-statefulset-1.database.default.svc.cluster.local."],
            ["database-statefulset-0.database.default.svc.cluster.local. 5 IN A 10.42.0.7",
             "database-statefulset-1.database.default.svc.cluster.local. 5 IN A 10.42.0.8"] },
        // ExternalName
        { "external.testns.svc.cluster.local.", DnsType.CNAME, DnsRcode.NoError, ["external.testns.svc.cluster.local. 5 IN CNAME ext.interwebs.test."], [] },
        { "external.testns.svc.cluster.local.", DnsType.A, DnsRcode.NoError, ["external.testns.svc.cluster.local. 5 IN CNAME ext.interwebs.test."], [] },
        { "external-to-service.testns.svc.cluster.local", DnsType.A, DnsRcode.NoError,
            ["external-to-service.testns.svc.cluster.local. 5 IN CNAME svc1.testns.svc.cluster.local.", "svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1"], [] },
        { "endpoint.external.testns.svc.cluster.local.", DnsType.CNAME, DnsRcode.NXDomain, [], [] },
        // Names that do not exist, and names that exist without records
        { "svc0.testns.svc.cluster.local.", DnsType.A, DnsRcode.NXDomain, [], [] },
        { "svc0.testns.svc.cluster.local.", DnsType.AAAA, DnsRcode.NXDomain, [], [] },
        { "svc0.svc-nons.svc.cluster.local.", DnsType.A, DnsRcode.NXDomain, [], [] },
        { "svc.cluster.local.", DnsType.A, DnsRcode.NoError, [], [] },
        { "pod.cluster.local.", DnsType.A, DnsRcode.NoError, [], [] },
        { "testns.svc.cluster.local.", DnsType.A, DnsRcode.NoError, [], [] },
        { "svc.cluster.local.", DnsType.NS, DnsRcode.NoError, [], [] },
        { "testns.svc.cluster.local.", DnsType.NS, DnsRcode.NoError, [], [] },
        { "foo.cluster.local.", DnsType.NS, DnsRcode.NXDomain, [], [] },
        { "foo.svc.cluster.local.", DnsType.NS, DnsRcode.NXDomain, [], [] },
        { "a.b.c.svc1.testns.svc.cluster.local.", DnsType.A, DnsRcode.NXDomain, [], [] },
        // What a search path makes of names that were already qualified (ndots:5): in the zone, but nothing there
        { "svc1.testns.svc.cluster.local.testns.svc.cluster.local.", DnsType.A, DnsRcode.NXDomain, [], [] },
        { "google.com.testns.svc.cluster.local.", DnsType.A, DnsRcode.NXDomain, [], [] },
        { "google.com.svc.cluster.local.", DnsType.AAAA, DnsRcode.NXDomain, [], [] },
        { "google.com.cluster.local.", DnsType.A, DnsRcode.NXDomain, [], [] },
        // Case and the final dot do not matter; owner names echo the question
        { "SVC1.TestNS.svc.Cluster.Local.", DnsType.A, DnsRcode.NoError, ["SVC1.TestNS.svc.Cluster.Local. 5 IN A 10.0.0.1"], [] },
        { "svc1.testns.svc.cluster.local", DnsType.A, DnsRcode.NoError, ["svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1"], [] },
        { "_HTTP._TCP.Hdls1.testns.svc.cluster.local.", DnsType.SRV, DnsRcode.NoError,
            ["_HTTP._TCP.Hdls1.testns.svc.cluster.local. 5 IN SRV 0 16 80 172-0-0-2.hdls1.testns.svc.cluster.local.",
             "_HTTP._TCP.Hdls1.testns.svc.cluster.local. 5 IN SRV 0 16 80 172-0-0-3.hdls1.testns.svc.cluster.local.",
             "_HTTP._TCP.Hdls1.testns.svc.cluster.local. 5 IN SRV 0 16 80 5678-abcd--1.hdls1.testns.svc.cluster.local.",
             "_HTTP._TCP.Hdls1.testns.svc.cluster.local. 5 IN SRV 0 16 80 5678-abcd--2.hdls1.testns.svc.cluster.local.",
             "_HTTP._TCP.Hdls1.testns.svc.cluster.local. 5 IN SRV 0 16 80 dup-name.hdls1.testns.svc.cluster.local."],
            ["172-0-0-2.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.2", "172-0-0-3.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.3",
             "5678-abcd--1.hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::1", "5678-abcd--2.hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::2",
             "dup-name.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.4", "dup-name.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.5"] },
        // Pod records ("pods insecure")
        { "10-240-0-1.podns.pod.cluster.local.", DnsType.A, DnsRcode.NoError, ["10-240-0-1.podns.pod.cluster.local. 5 IN A 10.240.0.1"], [] },
        { "172-0-0-2.podns.pod.cluster.local.", DnsType.A, DnsRcode.NoError, ["172-0-0-2.podns.pod.cluster.local. 5 IN A 172.0.0.2"], [] },
        { "fd00--1.testns.pod.cluster.local.", DnsType.AAAA, DnsRcode.NoError, ["fd00--1.testns.pod.cluster.local. 5 IN AAAA fd00::1"], [] },
        { "fd00--1.testns.pod.cluster.local.", DnsType.A, DnsRcode.NoError, [], [] },
        { "blah.podns.pod.cluster.local.", DnsType.A, DnsRcode.NXDomain, [], [] },
        { "1-2-3.podns.pod.cluster.local.", DnsType.A, DnsRcode.NXDomain, [], [] },
        { "1-2-3-256.podns.pod.cluster.local.", DnsType.A, DnsRcode.NXDomain, [], [] },
        { "blah.podns.pod.cluster.local.", DnsType.HINFO, DnsRcode.NXDomain, [], [] },
        { "podns.pod.cluster.local.", DnsType.A, DnsRcode.NXDomain, [], [] },
        // The zone itself, its name server, the schema version
        { "cluster.local.", DnsType.SOA, DnsRcode.NoError, [Soa], [] },
        { "cluster.local.", DnsType.NS, DnsRcode.NoError, ["cluster.local. 5 IN NS ns.dns.cluster.local."], ["ns.dns.cluster.local. 5 IN A 10.96.0.10"] },
        { "cluster.local.", DnsType.A, DnsRcode.NoError, [], [] },
        { "ns.dns.cluster.local.", DnsType.A, DnsRcode.NoError, ["ns.dns.cluster.local. 5 IN A 10.96.0.10"], [] },
        { "dns-version.cluster.local.", DnsType.TXT, DnsRcode.NoError, ["dns-version.cluster.local. 28800 IN TXT \"1.1.0\""], [] },
        // Reverse: cluster IPs and ready endpoint addresses
        { "1.0.0.10.in-addr.arpa.", DnsType.PTR, DnsRcode.NoError, ["1.0.0.10.in-addr.arpa. 5 IN PTR svc1.testns.svc.cluster.local."], [] },
        { "10.0.96.10.in-addr.arpa.", DnsType.PTR, DnsRcode.NoError, ["10.0.96.10.in-addr.arpa. 5 IN PTR kube-dns.kube-system.svc.cluster.local."], [] },
        { "1.0.0.172.in-addr.arpa.", DnsType.PTR, DnsRcode.NoError, ["1.0.0.172.in-addr.arpa. 5 IN PTR ep1a.svc1.testns.svc.cluster.local."], [] },
        { "2.0.0.172.in-addr.arpa.", DnsType.PTR, DnsRcode.NoError, ["2.0.0.172.in-addr.arpa. 5 IN PTR 172-0-0-2.hdls1.testns.svc.cluster.local."], [] },
        { "7.0.42.10.in-addr.arpa.", DnsType.PTR, DnsRcode.NoError,
            ["7.0.42.10.in-addr.arpa. 5 IN PTR database-statefulset-0.database.default.svc.cluster.local."], [] },
        { "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.8.7.6.5.ip6.arpa.", DnsType.PTR, DnsRcode.NoError,
            ["1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.8.7.6.5.ip6.arpa. 5 IN PTR 5678-abcd--1.hdls1.testns.svc.cluster.local."], [] },
        { "3.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.ip6.arpa.", DnsType.PTR, DnsRcode.NoError,
            ["3.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.ip6.arpa. 5 IN PTR svc-dual-stack.testns.svc.cluster.local."], [] },
        { "1.0.0.10.in-addr.arpa.", DnsType.A, DnsRcode.NoError, [], [] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Answers(string name, DnsType type, DnsRcode rcode, string[] answers, string[] additionals)
    {
        var answer = Zone.Resolve(name, type);

        Assert.NotNull(answer);
        Assert.Equal(rcode, answer.Rcode);
        Assert.Equal(answers.Order(StringComparer.Ordinal), DnsTestClient.Lines(answer.Answers));
        Assert.Equal(additionals.Order(StringComparer.Ordinal), DnsTestClient.Lines(answer.Additionals));
        // Negative answers (NXDOMAIN, NODATA) carry the zone's SOA for negative caching; positive ones nothing.
        Assert.Equal(answers.Length == 0 ? [Soa] : [], DnsTestClient.Lines(answer.Authorities));
        Assert.Equal(name.StartsWith("external.", StringComparison.Ordinal) && type != DnsType.CNAME ? "ext.interwebs.test" : null, answer.Chase);
    }

    [Theory]
    [InlineData("example.com.")]
    [InlineData("svc1.testns.svc.cluster.local.example.com.")]
    [InlineData("cluster.local.example.com")]
    [InlineData("xcluster.local.")]
    [InlineData("99.0.0.10.in-addr.arpa.")]
    [InlineData("0.10.in-addr.arpa.")]
    [InlineData("in-addr.arpa.")]
    [InlineData("1.0.0.10.in-addr.arpa.example.com.")]
    [InlineData(".")]
    public void NamesOutsideTheZoneAreNotAnswered(string name)
    {
        Assert.Null(Zone.Resolve(name, DnsType.PTR));
        Assert.Null(Zone.Resolve(name, DnsType.A));
    }

    [Fact]
    public void ExternalNameOutsideTheZoneAsksToBeChased()
    {
        var answer = Zone.Resolve("external.testns.svc.cluster.local.", DnsType.A)!;

        Assert.Equal("ext.interwebs.test", answer.Chase);
        Assert.Null(Zone.Resolve("external.testns.svc.cluster.local.", DnsType.CNAME)!.Chase);
    }

    [Fact]
    public void ExternalNameLoopStops()
    {
        var records = TestCluster.Records();
        records.SetService(TestObjects.ExternalName("testns", "loop-a", "loop-b.testns.svc.cluster.local"));
        records.SetService(TestObjects.ExternalName("testns", "loop-b", "loop-a.testns.svc.cluster.local"));
        var zone = new ClusterZone(records, new ClusterZoneOptions());

        var answer = zone.Resolve("loop-a.testns.svc.cluster.local", DnsType.A)!;

        Assert.Equal(DnsRcode.NoError, answer.Rcode);
        Assert.InRange(answer.Answers.Count, 2, 10);
        Assert.All(answer.Answers, a => Assert.Equal(DnsType.CNAME, a.Type));
    }

    [Fact]
    public void NameErrorsAreServFailUntilSynced()
    {
        var records = new ClusterRecords(new Korral.Client.Tests.Fixtures.FakeTimeProvider());
        records.SetService(TestObjects.Service("testns", "svc1", "10.0.0.1"));
        var zone = new ClusterZone(records, new ClusterZoneOptions());

        Assert.Equal(DnsRcode.ServFail, zone.Resolve("svc0.testns.svc.cluster.local", DnsType.A)!.Rcode);
        Assert.Equal(DnsRcode.NoError, zone.Resolve("svc1.testns.svc.cluster.local", DnsType.A)!.Rcode);
        records.MarkSynced();
        Assert.Equal(DnsRcode.NXDomain, zone.Resolve("svc0.testns.svc.cluster.local", DnsType.A)!.Rcode);
    }

    [Theory]
    [InlineData(PodRecordsMode.Verified, "10-240-0-1.testns.pod.cluster.local", DnsRcode.NoError)]
    [InlineData(PodRecordsMode.Verified, "10-240-0-1.default.pod.cluster.local", DnsRcode.NXDomain)]
    [InlineData(PodRecordsMode.Verified, "10-240-0-2.testns.pod.cluster.local", DnsRcode.NXDomain)]
    [InlineData(PodRecordsMode.Disabled, "10-240-0-1.testns.pod.cluster.local", DnsRcode.NXDomain)]
    [InlineData(PodRecordsMode.Insecure, "10-240-0-2.anyns.pod.cluster.local", DnsRcode.NoError)]
    public void PodRecordsFollowTheMode(PodRecordsMode mode, string name, DnsRcode rcode)
    {
        var zone = new ClusterZone(TestCluster.Records(), new ClusterZoneOptions { Pods = mode });

        Assert.Equal(rcode, zone.Resolve(name, DnsType.A)!.Rcode);
    }

    [Fact]
    public void OtherZoneNameAndTtlAreUsed()
    {
        var records = new ClusterRecords(new Korral.Client.Tests.Fixtures.FakeTimeProvider());
        records.SetService(TestObjects.Service("default", "web", "10.43.0.5"));
        records.MarkSynced();
        var zone = new ClusterZone(records, new ClusterZoneOptions { Zone = "Corp.Example.", Ttl = 30 });

        Assert.Equal(["web.default.svc.corp.example. 30 IN A 10.43.0.5"], DnsTestClient.Lines(zone.Resolve("web.default.svc.corp.example", DnsType.A)!.Answers));
        Assert.Null(zone.Resolve("web.default.svc.cluster.local", DnsType.A));
    }
}
