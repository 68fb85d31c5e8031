using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Korral.Dns.Server;
using Korral.Dns.Tests.Fixtures;
using Korral.Dns.Wire;
using static Korral.Dns.Tests.Fixtures.DnsTestClient;

namespace Korral.Dns.Tests.Server;

/// <summary>The server on loopback, over real UDP and TCP sockets.</summary>
public sealed class DnsServerTests
{
    [Fact]
    public async Task AnswersClusterNamesOverUdpAndTcp()
    {
        await using var server = await RunningServer.StartAsync(TestCluster.Records());

        var udp = await UdpAsync(server.Udp, Query("svc1.testns.svc.cluster.local", DnsType.A));
        var tcp = await TcpAsync(server.Tcp, Query("svc1.testns.svc.cluster.local", DnsType.A));

        foreach (var response in new[] { udp, tcp })
        {
            Assert.True(response.IsResponse && response.AuthoritativeAnswer && response.RecursionDesired);
            Assert.False(response.RecursionAvailable); // as CoreDNS: cluster names are answered, not recursed
            Assert.Equal(["svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1"], Lines(response.Answers));
        }

        Assert.Equal(server.Udp.Port, server.Tcp.Port);
    }

    [Fact]
    public async Task AnswersIdAndQuestionOfEachQuery()
    {
        await using var server = await RunningServer.StartAsync(TestCluster.Records());
        var query = Query("SVC1.testns.svc.cluster.local", DnsType.AAAA);

        var response = await UdpAsync(server.Udp, query);

        Assert.Equal(query.Id, response.Id);
        Assert.Equal(query.Questions, response.Questions);
        Assert.Equal(DnsRcode.NoError, response.Rcode);
        Assert.Empty(response.Answers);
        Assert.Equal(DnsType.SOA, Assert.Single(response.Authorities).Type);
    }

    [Fact]
    public async Task NxDomainCarriesTheSoa()
    {
        await using var server = await RunningServer.StartAsync(TestCluster.Records());

        var response = await UdpAsync(server.Udp, Query("nope.testns.svc.cluster.local", DnsType.A));

        Assert.Equal(DnsRcode.NXDomain, response.Rcode);
        Assert.Equal("cluster.local", Assert.Single(response.Authorities).Name);
    }

    [Fact]
    public async Task BusyboxNslookupResolvesThroughTheServer()
    {
        await using var server = await RunningServer.StartAsync(TestCluster.Records());
        var address = $"127.0.0.1:{server.Udp.Port}";

        var found = await NslookupAsync("-type=a", "database-statefulset-0.database.default.svc.cluster.local", address);
        var srv = await NslookupAsync("-type=srv", "_postgres._tcp.database.default.svc.cluster.local", address);
        var missing = await NslookupAsync("-type=a", "nope.default.svc.cluster.local", address);

        Assert.Contains("Address: 10.42.0.7", found.Output);
        Assert.Contains("5432 database-statefulset-1.database.default.svc.cluster.local", srv.Output);
        Assert.Contains("NXDOMAIN", missing.Output);
    }

    [Fact]
    public async Task LargeAnswerIsTruncatedOverUdpAndWholeOverTcp()
    {
        var records = TestCluster.Records();
        records.SetService(TestObjects.Service("testns", "big", null));
        records.SetEndpointSlice(TestObjects.Slice("testns", "big-1", "big", "IPv4", Enumerable.Range(1, 100).Select(i => $"10.44.0.{i}").ToArray()));
        await using var server = await RunningServer.StartAsync(records);

        var udp = await UdpAsync(server.Udp, Query("big.testns.svc.cluster.local", DnsType.A));
        var (resolved, retried) = await ResolveAsync(server.Udp, Query("big.testns.svc.cluster.local", DnsType.A));

        Assert.True(udp.Truncated);
        Assert.InRange(udp.Answers.Count, 1, 99);
        Assert.True(retried);
        Assert.False(resolved.Truncated);
        Assert.Equal(100, resolved.Answers.Count);
    }

    [Fact]
    public async Task EdnsRaisesTheUdpSizeUpToTheServersCap()
    {
        var records = TestCluster.Records();
        records.SetService(TestObjects.Service("testns", "big", null));
        records.SetEndpointSlice(TestObjects.Slice("testns", "big-1", "big", "IPv4", Enumerable.Range(1, 60).Select(i => $"10.44.0.{i}").ToArray()));
        await using var server = await RunningServer.StartAsync(records);

        var plain = await UdpAsync(server.Udp, Query("big.testns.svc.cluster.local", DnsType.A));
        var edns = await UdpAsync(server.Udp, Query("big.testns.svc.cluster.local", DnsType.A, ednsSize: 4096));

        Assert.True(plain.Truncated);
        Assert.Null(plain.Edns);
        Assert.False(edns.Truncated); // 60 answers take ~1 KB: within the 1232 cap
        Assert.Equal(60, edns.Answers.Count);
        Assert.Equal(1232, edns.Edns!.UdpPayloadSize);
    }

    [Fact]
    public async Task UnknownEdnsVersionGetsBadVers()
    {
        await using var server = await RunningServer.StartAsync(TestCluster.Records());
        var query = Query("svc1.testns.svc.cluster.local", DnsType.A);
        query.Edns = new EdnsOptions(1232, Version: 1);

        var response = await UdpAsync(server.Udp, query);

        Assert.Equal(DnsRcode.BadVers, response.Rcode);
        Assert.Equal(0, response.Edns!.Version);
    }

    [Fact]
    public async Task GarbageGetsFormErrAndRuntsNothing()
    {
        await using var server = await RunningServer.StartAsync(TestCluster.Records());

        var formErr = DnsMessage.Decode(await UdpRawAsync(server.Udp, Convert.FromHexString("abcd01000001000000000000c00c00010001")));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(server.Udp);
        await socket.SendAsync(new byte[] { 1, 2, 3 }, SocketFlags.None);
        var after = await UdpAsync(server.Udp, Query("svc1.testns.svc.cluster.local", DnsType.A)); // still serving

        Assert.Equal(0xABCD, formErr.Id);
        Assert.Equal(DnsRcode.FormErr, formErr.Rcode);
        Assert.Single(after.Answers);
    }

    [Fact]
    public async Task OtherOpcodesGetNotImpAndZoneTransfersRefused()
    {
        await using var server = await RunningServer.StartAsync(TestCluster.Records());
        var notify = Query("cluster.local", DnsType.SOA);
        notify.Opcode = DnsOpcode.Notify;

        Assert.Equal(DnsRcode.NotImp, (await UdpAsync(server.Udp, notify)).Rcode);
        Assert.Equal(DnsRcode.Refused, (await TcpAsync(server.Tcp, Query("cluster.local", DnsType.AXFR))).Rcode);
    }

    [Fact]
    public async Task TcpConnectionServesQueriesOneAfterAnother()
    {
        await using var server = await RunningServer.StartAsync(TestCluster.Records());
        using var client = new TcpClient();
        await client.ConnectAsync(server.Tcp);
        var stream = client.GetStream();
        using var timeout = new CancellationTokenSource(DnsTestClient.Timeout);

        var a = await TcpExchangeAsync(stream, Query("svc1.testns.svc.cluster.local", DnsType.A), timeout.Token);
        var aaaa = await TcpExchangeAsync(stream, Query("svc6.testns.svc.cluster.local", DnsType.AAAA), timeout.Token);

        Assert.Single(a.Answers);
        Assert.Single(aaaa.Answers);
    }

    [Fact]
    public async Task IdleTcpConnectionIsClosed()
    {
        await using var server = await RunningServer.StartAsync(TestCluster.Records(), configure: o => o with { TcpIdleTimeout = TimeSpan.FromMilliseconds(200) });
        using var client = new TcpClient();
        await client.ConnectAsync(server.Tcp);
        using var timeout = new CancellationTokenSource(DnsTestClient.Timeout);

        var read = await client.GetStream().ReadAsync(new byte[1], timeout.Token);

        Assert.Equal(0, read);
    }

    [Fact]
    public async Task ListensOnIpv4AndIpv6Together()
    {
        await using var server = await RunningServer.StartAsync(TestCluster.Records(),
            configure: o => o with { Listen = [new IPEndPoint(IPAddress.Loopback, 0), new IPEndPoint(IPAddress.IPv6Loopback, 0)] });
        var v4 = server.Server.UdpEndpoints[0];
        var v6 = server.Server.UdpEndpoints[1];

        Assert.Single((await UdpAsync(v6, Query("svc6.testns.svc.cluster.local", DnsType.AAAA))).Answers);
        Assert.Single((await TcpAsync(v6, Query("svc6.testns.svc.cluster.local", DnsType.AAAA))).Answers);
        Assert.Single((await UdpAsync(v4, Query("svc1.testns.svc.cluster.local", DnsType.A))).Answers);
    }

    [Fact]
    public async Task ListenEndpointThatIsTakenFailsTheStart()
    {
        await using var first = await RunningServer.StartAsync(TestCluster.Records());

        await Assert.ThrowsAsync<SocketException>(() => RunningServer.StartAsync(TestCluster.Records(),
            configure: o => o with { Listen = [first.Udp] }));
    }

    [Fact]
    public async Task StopsServingWhenDisposed()
    {
        var server = await RunningServer.StartAsync(TestCluster.Records());
        var endpoint = server.Tcp;
        await server.DisposeAsync();

        await Assert.ThrowsAsync<SocketException>(async () =>
        {
            using var client = new TcpClient();
            await client.ConnectAsync(endpoint);
        });
    }

    [Fact]
    public async Task OptionsAreCheckedAtStart()
    {
        var options = new DnsServerOptions { Listen = [], MaxUdpSize = 100, Zone = "bad..zone" };

        var e = await Assert.ThrowsAsync<ArgumentException>(() => DnsServer.StartAsync(options, TestCluster.Records(), CancellationToken.None));
        Assert.Contains("max UDP size", e.Message);
        Assert.Contains("no listen endpoint", e.Message);
        Assert.Contains("zone", e.Message);
    }

    private static async Task<(int Exit, string Output)> NslookupAsync(params string[] args)
    {
        var start = new ProcessStartInfo("busybox") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("nslookup");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
