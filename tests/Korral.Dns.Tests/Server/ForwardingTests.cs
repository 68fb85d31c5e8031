using System.Net;
using Korral.Dns.Forwarding;
using Korral.Dns.Tests.Fixtures;
using Korral.Dns.Wire;
using static Korral.Dns.Tests.Fixtures.DnsTestClient;

namespace Korral.Dns.Tests.Server;

/// <summary>Names outside the zone go to the upstream resolvers: fake ones on loopback.</summary>
public sealed class ForwardingTests
{
    [Fact]
    public async Task NamesOutsideTheZoneAreForwarded()
    {
        await using var upstream = FakeUpstream.Answering(IPAddress.Parse("93.184.216.34"));
        await using var server = await RunningServer.StartAsync(TestCluster.Records(), [upstream.Endpoint]);
        var query = Query("example.com", DnsType.A);

        var response = await UdpAsync(server.Udp, query);

        Assert.Equal(query.Id, response.Id);
        Assert.True(response.RecursionAvailable);
        Assert.Equal(["example.com. 300 IN A 93.184.216.34"], Lines(response.Answers));
        Assert.Equal(1, upstream.UdpQueries);
    }

    [Fact]
    public async Task ClusterNamesNeverReachTheUpstream()
    {
        await using var upstream = FakeUpstream.Answering(IPAddress.Parse("93.184.216.34"));
        await using var server = await RunningServer.StartAsync(TestCluster.Records(), [upstream.Endpoint]);

        await UdpAsync(server.Udp, Query("svc1.testns.svc.cluster.local", DnsType.A));
        var nx = await UdpAsync(server.Udp, Query("example.com.testns.svc.cluster.local", DnsType.A));

        Assert.Equal(DnsRcode.NXDomain, nx.Rcode);
        Assert.Equal(0, upstream.UdpQueries + upstream.TcpQueries);
    }

    [Fact]
    public async Task UnknownReverseNamesFallThroughToTheUpstream()
    {
        await using var upstream = FakeUpstream.Start((query, _) =>
        {
            var response = DnsMessage.ResponseTo(query);
            response.Answers.Add(DnsRecord.Ptr(query.Questions[0].Name, 60, "dns.google"));
            return response;
        });
        await using var server = await RunningServer.StartAsync(TestCluster.Records(), [upstream.Endpoint]);

        var external = await UdpAsync(server.Udp, Query("8.8.8.8.in-addr.arpa", DnsType.PTR));
        var cluster = await UdpAsync(server.Udp, Query("1.0.0.10.in-addr.arpa", DnsType.PTR));

        Assert.Equal(["8.8.8.8.in-addr.arpa. 60 IN PTR dns.google."], Lines(external.Answers));
        Assert.Equal(["1.0.0.10.in-addr.arpa. 5 IN PTR svc1.testns.svc.cluster.local."], Lines(cluster.Answers));
        Assert.Equal(1, upstream.UdpQueries);
    }

    [Fact]
    public async Task SilentUpstreamGivesServFail()
    {
        await using var silent = FakeUpstream.Start((_, _) => null);
        await using var server = await RunningServer.StartAsync(TestCluster.Records(), [silent.Endpoint]);

        var response = await UdpAsync(server.Udp, Query("example.com", DnsType.A));

        Assert.Equal(DnsRcode.ServFail, response.Rcode);
        Assert.Equal(1, silent.UdpQueries);
    }

    [Fact]
    public async Task NoUpstreamGivesServFail()
    {
        await using var server = await RunningServer.StartAsync(TestCluster.Records(), []);

        Assert.Equal(DnsRcode.ServFail, (await UdpAsync(server.Udp, Query("example.com", DnsType.A))).Rcode);
    }

    [Fact]
    public async Task NextUpstreamIsTriedWhenOneIsSilent()
    {
        await using var silent = FakeUpstream.Start((_, _) => null);
        await using var good = FakeUpstream.Answering(IPAddress.Parse("192.0.2.1"));
        await using var server = await RunningServer.StartAsync(TestCluster.Records(), [silent.Endpoint, good.Endpoint]);

        var first = await UdpAsync(server.Udp, Query("example.com", DnsType.A));
        var second = await UdpAsync(server.Udp, Query("example.org", DnsType.A));

        Assert.Single(first.Answers);
        Assert.Single(second.Answers);
        Assert.Equal(1, silent.UdpQueries); // the one that answered is asked first from then on
        Assert.Equal(2, good.UdpQueries);
    }

    [Fact]
    public async Task TruncatedUpstreamAnswerIsRefetchedOverTcpForTcpClients()
    {
        await using var upstream = FakeUpstream.Start((query, _) => BigAnswer(query, 100));
        await using var server = await RunningServer.StartAsync(TestCluster.Records(), [upstream.Endpoint]);

        var udp = await UdpAsync(server.Udp, Query("many.example.com", DnsType.A));
        var tcp = await TcpAsync(server.Tcp, Query("many.example.com", DnsType.A));

        Assert.True(udp.Truncated); // a UDP client gets the truncated answer and asks again over TCP itself
        Assert.False(tcp.Truncated);
        Assert.Equal(100, tcp.Answers.Count);
        Assert.Equal(1, upstream.TcpQueries);
        Assert.Equal(2, upstream.UdpQueries);
    }

    [Fact]
    public async Task AnswerLargerThanTheClientTakesIsTruncatedForIt()
    {
        // The client offers 4096 bytes and the upstream fills them, but this server sends at most 1232 over UDP.
        await using var upstream = FakeUpstream.Start((query, _) => BigAnswer(query, 200));
        await using var server = await RunningServer.StartAsync(TestCluster.Records(), [upstream.Endpoint]);

        var response = await UdpAsync(server.Udp, Query("many.example.com", DnsType.A, ednsSize: 4096));

        Assert.True(response.Truncated);
        Assert.Empty(response.Answers);
        Assert.Equal("many.example.com", response.Questions[0].Name);
        Assert.Equal(1, upstream.UdpQueries);
    }

    [Fact]
    public async Task ExternalNameTargetIsResolvedUpstreamAndAppended()
    {
        await using var upstream = FakeUpstream.Answering(IPAddress.Parse("1.2.3.4"));
        await using var server = await RunningServer.StartAsync(TestCluster.Records(), [upstream.Endpoint]);

        var a = await UdpAsync(server.Udp, Query("external.testns.svc.cluster.local", DnsType.A));
        var cname = await UdpAsync(server.Udp, Query("external.testns.svc.cluster.local", DnsType.CNAME));

        Assert.Equal(["ext.interwebs.test. 300 IN A 1.2.3.4", "external.testns.svc.cluster.local. 5 IN CNAME ext.interwebs.test."], Lines(a.Answers));
        Assert.True(a.AuthoritativeAnswer);
        Assert.Equal(["external.testns.svc.cluster.local. 5 IN CNAME ext.interwebs.test."], Lines(cname.Answers));
    }

    [Fact]
    public async Task ExternalNameStandsAloneWhenTheUpstreamFails()
    {
        await using var server = await RunningServer.StartAsync(TestCluster.Records(), []);

        var a = await UdpAsync(server.Udp, Query("external.testns.svc.cluster.local", DnsType.A));

        Assert.Equal(DnsRcode.NoError, a.Rcode);
        Assert.Equal(["external.testns.svc.cluster.local. 5 IN CNAME ext.interwebs.test."], Lines(a.Answers));
    }

    [Fact]
    public async Task ForwarderIgnoresAnswersWithAnotherIdOrQuestion()
    {
        await using var liar = FakeUpstream.Start((query, _) =>
        {
            var response = DnsMessage.ResponseTo(query);
            response.Id ^= 0x5555;
            return response;
        });
        var forwarder = new UpstreamForwarder(new ForwardOptions { Upstreams = [liar.Endpoint], TryTimeout = TimeSpan.FromMilliseconds(300), Deadline = TimeSpan.FromSeconds(1) });

        var result = await forwarder.ForwardAsync(Query("example.com", DnsType.A).Encode(), DnsTransport.Udp, CancellationToken.None);

        Assert.Null(result);
        Assert.Equal(1, liar.UdpQueries);
    }

    [Theory]
    [InlineData("example.com", "example.com", true)]
    [InlineData("example.com", "EXAMPLE.com", true)]
    [InlineData("example.com", "example.org", false)]
    public void AnswerMustCarryTheSameQuestion(string asked, string answered, bool accepted)
    {
        var query = Query(asked, DnsType.A);
        var response = DnsMessage.ResponseTo(query);
        response.Questions[0] = new DnsQuestion(answered, DnsType.A);

        Assert.Equal(accepted, UpstreamForwarder.IsAnswerTo(query.Encode(), response.Encode()));
    }

    private static DnsMessage BigAnswer(DnsMessage query, int count)
    {
        var response = DnsMessage.ResponseTo(query);
        response.RecursionAvailable = true;
        response.Edns = query.Edns is null ? null : new EdnsOptions(4096);
        for (var i = 0; i < count; i++)
        {
            response.Answers.Add(DnsRecord.A(query.Questions[0].Name, 60, new IPAddress([192, 0, 2, (byte)i])));
        }

        return response;
    }
}
