using System.Diagnostics;
using System.Net;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.DiscoveryV1;
using Korral.Api.Models.MetaV1;
using Korral.Client.Informers;
using Korral.Dns.Cluster;
using Korral.Dns.Tests.Fixtures;
using Korral.Dns.Wire;
using static Korral.Dns.Tests.Fixtures.DnsTestClient;
using EndpointPort = Korral.Api.Models.DiscoveryV1.EndpointPort;

namespace Korral.Dns.Tests.Integration;

/// <summary>
/// The whole path: a real API server, informers feeding <see cref="ClusterRecords"/>, the DNS server on loopback: a
/// change made through the API shows in the answers (how fast is the benchmark's business, not a test's).
/// </summary>
public sealed class ClusterDnsIntegrationTests : IAsyncLifetime
{
    private TestApiServer _api = null!;
    private SharedInformerFactory _informers = null!;
    private ClusterRecords _records = null!;
    private IDisposable _watch = null!;
    private RunningServer _dns = null!;
    private readonly CancellationTokenSource _stop = new();

    public async Task InitializeAsync()
    {
        _api = await TestApiServer.StartAsync();
        _informers = new SharedInformerFactory(_api.NewClient());
        _records = new ClusterRecords();
        _watch = _records.Watch(_informers);
        _informers.Start(_stop.Token);
        await _records.WaitForSyncAsync(_stop.Token).WaitAsync(TimeSpan.FromSeconds(30));
        _dns = await RunningServer.StartAsync(_records);
    }

    public async Task DisposeAsync()
    {
        await _dns.DisposeAsync();
        _watch.Dispose();
        await _stop.CancelAsync();
        await _informers.DisposeAsync();
        await _api.DisposeAsync();
        _stop.Dispose();
    }

    [Fact]
    public async Task ServiceResolvesAfterItsCreationAndIsGoneAfterItsDeletion()
    {
        var services = _api.NewClient().Resource<Service>();
        Assert.Equal(DnsRcode.NXDomain, (await UdpAsync(_dns.Udp, Query("web.default.svc.cluster.local", DnsType.A))).Rcode);

        var created = await services.CreateAsync(new Service
        {
            Metadata = new ObjectMeta { Name = "web", Namespace = "default" },
            Spec = new ServiceSpec { Ports = [new ServicePort { Name = "http", Port = 80, Protocol = "TCP" }] },
        }, CancellationToken.None);
        var clusterIP = created.Spec!.ClusterIP!;
        var answer = await WaitForAsync("web.default.svc.cluster.local", DnsType.A, r => r.Answers.Count == 1);

        Assert.Equal($"web.default.svc.cluster.local. 5 IN A {clusterIP}", Lines(answer.Answers).Single());

        await services.DeleteAsync("default", "web", CancellationToken.None);
        var gone = await WaitForAsync("web.default.svc.cluster.local", DnsType.A, r => r.Rcode == DnsRcode.NXDomain);
        Assert.Empty(gone.Answers);
    }

    [Fact]
    public async Task HeadlessServiceFollowsItsEndpointSlices()
    {
        var client = _api.NewClient();
        await client.Resource<Service>().CreateAsync(new Service
        {
            Metadata = new ObjectMeta { Name = "database", Namespace = "default" },
            Spec = new ServiceSpec { ClusterIP = "None", Ports = [new ServicePort { Name = "postgres", Port = 5432, Protocol = "TCP" }] },
        }, CancellationToken.None);
        var slices = client.Resource<EndpointSlice>();
        await slices.CreateAsync(new EndpointSlice
        {
            Metadata = new ObjectMeta { Name = "database-abc", Namespace = "default", Labels = new Dictionary<string, string> { [ClusterRecords.ServiceNameLabel] = "database" } },
            AddressType = "IPv4",
            Endpoints = [Ready("10.42.0.7", "database-statefulset-0"), Ready("10.42.0.8", "database-statefulset-1")],
            Ports = [new EndpointPort { Name = "postgres", Port = 5432, Protocol = "TCP" }],
        }, CancellationToken.None);

        var pet = await WaitForAsync("database-statefulset-0.database.default.svc.cluster.local", DnsType.A, r => r.Answers.Count == 1);
        var all = await WaitForAsync("database.default.svc.cluster.local", DnsType.A, r => r.Answers.Count == 2);

        Assert.Equal(IPAddress.Parse("10.42.0.7"), ((AddressData)pet.Answers[0].Data).Address);
        Assert.Equal(2, all.Answers.Count);

        var slice = await slices.GetAsync("default", "database-abc", CancellationToken.None);
        slice.Endpoints![1].Conditions = new EndpointConditions { Ready = false };
        await slices.UpdateAsync(slice, CancellationToken.None);

        var one = await WaitForAsync("database.default.svc.cluster.local", DnsType.A, r => r.Answers.Count == 1);
        Assert.Equal(IPAddress.Parse("10.42.0.7"), ((AddressData)one.Answers[0].Data).Address);
        Assert.Equal(DnsRcode.NXDomain, (await UdpAsync(_dns.Udp, Query("database-statefulset-1.database.default.svc.cluster.local", DnsType.A))).Rcode);
    }

    [Fact]
    public async Task NamespaceAppearsAndKubeDnsServiceGetsTheTenthAddress()
    {
        var client = _api.NewClient();
        await client.Resource<Namespace>().CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = "team-a" } }, CancellationToken.None);

        var kubeDns = await KubeDnsService.EnsureAsync(client, "10.96.0.0/12", CancellationToken.None);
        var again = await KubeDnsService.EnsureAsync(client, "10.96.0.0/12", CancellationToken.None);

        Assert.Equal("10.96.0.10", kubeDns.Spec!.ClusterIP);
        Assert.Equal(kubeDns.Metadata!.Uid, again.Metadata!.Uid);
        var ns = await WaitForAsync("team-a.svc.cluster.local", DnsType.A, r => r.Rcode == DnsRcode.NoError);
        Assert.Empty(ns.Answers);
        var ptr = await WaitForAsync("10.0.96.10.in-addr.arpa", DnsType.PTR, r => r.Answers.Count == 1);
        Assert.Equal("kube-dns.kube-system.svc.cluster.local", ((NameData)ptr.Answers[0].Data).Target);
    }

    private static Korral.Api.Models.DiscoveryV1.Endpoint Ready(string address, string hostname) =>
        new() { Addresses = [address], Hostname = hostname, Conditions = new EndpointConditions { Ready = true } };

    /// <summary>Asks until the answer satisfies <paramref name="done"/>; fails after 10 s with the last answer.</summary>
    private async Task<DnsMessage> WaitForAsync(string name, DnsType type, Func<DnsMessage, bool> done)
    {
        var deadline = Stopwatch.GetTimestamp() + (10 * Stopwatch.Frequency);
        DnsMessage response;
        do
        {
            response = await UdpAsync(_dns.Udp, Query(name, type));
            if (done(response))
            {
                return response;
            }

            await Task.Delay(10);
        }
        while (Stopwatch.GetTimestamp() < deadline);

        Assert.Fail($"{name} {type} never answered as expected; last answer:\n{response}");
        return response;
    }
}
