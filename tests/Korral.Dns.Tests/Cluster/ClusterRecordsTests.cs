using System.Net;
using Korral.Client.Tests.Fixtures;
using Korral.Dns.Cluster;
using static Korral.Dns.Tests.Fixtures.TestObjects;

namespace Korral.Dns.Tests.Cluster;

/// <summary>The index follows every change of its sources at once, and by key.</summary>
public sealed class ClusterRecordsTests
{
    private readonly FakeTimeProvider _time = new();

    private ClusterRecords NewRecords() => new(_time);

    private static string[] Endpoints(ClusterRecords records, string ns, string name) =>
        records.FindService(ns, name)?.Endpoints.Select(e => $"{e.Hostname}={e.Address}").Order(StringComparer.Ordinal).ToArray() ?? [];

    private static string[] Ptr(ClusterRecords records, string address) =>
        records.FindAddress(IPAddress.Parse(address)).Select(e => $"{e.Hostname}.{e.Service}.{e.Namespace}").Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void SliceSeenBeforeItsServiceCountsOnceTheServiceArrives()
    {
        var records = NewRecords();
        records.SetEndpointSlice(Slice("ns", "web-1", "web", "IPv4", ["10.42.0.5"], ("http", "TCP", 8080)));
        Assert.Null(records.FindService("ns", "web"));
        Assert.Empty(Ptr(records, "10.42.0.5"));

        records.SetService(Service("ns", "web", null, ("http", "TCP", 80)));

        Assert.Equal(["10-42-0-5=10.42.0.5"], Endpoints(records, "ns", "web"));
        Assert.Equal(["10-42-0-5.web.ns"], Ptr(records, "10.42.0.5"));
        Assert.Equal(8080, Assert.Single(records.FindService("ns", "web")!.Endpoints).Ports.Single().Port);
    }

    [Fact]
    public void SlicesMergeAndLeaveOneByOne()
    {
        var records = NewRecords();
        records.SetService(Service("ns", "web", null));
        records.SetEndpointSlice(Slice("ns", "web-1", "web", "IPv4", ["10.42.0.5", "10.42.0.6=pet-0"]));
        records.SetEndpointSlice(Slice("ns", "web-2", "web", "IPv6", ["fd00::5"]));
        Assert.Equal(["10-42-0-5=10.42.0.5", "fd00--5=fd00::5", "pet-0=10.42.0.6"], Endpoints(records, "ns", "web"));

        records.RemoveEndpointSlice(Slice("ns", "web-1", "web", "IPv4", []));

        Assert.Equal(["fd00--5=fd00::5"], Endpoints(records, "ns", "web"));
        Assert.Empty(Ptr(records, "10.42.0.6"));
    }

    [Fact]
    public void EndpointsThatStopBeingReadyLeave()
    {
        var records = NewRecords();
        records.SetService(Service("ns", "web", null));
        records.SetEndpointSlice(Slice("ns", "web-1", "web", "IPv4", ["10.42.0.5", "10.42.0.6"]));

        records.SetEndpointSlice(Slice("ns", "web-1", "web", "IPv4", ["10.42.0.5!", "10.42.0.6"]));

        Assert.Equal(["10-42-0-6=10.42.0.6"], Endpoints(records, "ns", "web"));
        Assert.Empty(Ptr(records, "10.42.0.5"));
    }

    [Fact]
    public void ReadyUnsetCountsAsReadyAndFqdnSlicesAreIgnored()
    {
        var records = NewRecords();
        records.SetService(Service("ns", "web", null));
        var slice = Slice("ns", "web-1", "web", "IPv4", ["10.42.0.5"]);
        slice.Endpoints![0].Conditions = null;
        records.SetEndpointSlice(slice);
        records.SetEndpointSlice(Slice("ns", "web-fqdn", "web", "FQDN", ["example.com"]));

        Assert.Equal(["10-42-0-5=10.42.0.5"], Endpoints(records, "ns", "web"));
    }

    [Fact]
    public void SliceMovedToAnotherServiceLeavesTheFirst()
    {
        var records = NewRecords();
        records.SetService(Service("ns", "a", null));
        records.SetService(Service("ns", "b", null));
        records.SetEndpointSlice(Slice("ns", "s", "a", "IPv4", ["10.42.0.5"]));

        records.SetEndpointSlice(Slice("ns", "s", "b", "IPv4", ["10.42.0.5"]));

        Assert.Empty(Endpoints(records, "ns", "a"));
        Assert.Equal(["10-42-0-5=10.42.0.5"], Endpoints(records, "ns", "b"));
        Assert.Equal(["10-42-0-5.b.ns"], Ptr(records, "10.42.0.5"));
    }

    [Fact]
    public void DeletedServiceTakesItsNamesAndAddressesAlong()
    {
        var records = NewRecords();
        var service = Service("ns", "web", "10.43.0.7");
        records.SetService(service);
        records.SetEndpointSlice(Slice("ns", "web-1", "web", "IPv4", ["10.42.0.5=pod-a"]));
        Assert.Equal([".web.ns", "pod-a.web.ns"], [.. Ptr(records, "10.43.0.7"), .. Ptr(records, "10.42.0.5")]);

        records.RemoveService(service);

        Assert.Null(records.FindService("ns", "web"));
        Assert.Empty(Ptr(records, "10.43.0.7"));
        Assert.Empty(Ptr(records, "10.42.0.5"));
        Assert.Equal(0, records.ServiceCount);
    }

    [Fact]
    public void AddressSharedByTwoServicesKeepsBothNamesUntilEachLeaves()
    {
        var records = NewRecords();
        records.SetService(Service("ns", "a", null));
        records.SetService(Service("ns", "b", null));
        records.SetEndpointSlice(Slice("ns", "a-1", "a", "IPv4", ["10.42.0.5"]));
        records.SetEndpointSlice(Slice("ns", "b-1", "b", "IPv4", ["10.42.0.5"]));
        Assert.Equal(["10-42-0-5.a.ns", "10-42-0-5.b.ns"], Ptr(records, "10.42.0.5"));

        records.RemoveService(Service("ns", "a", null));

        Assert.Equal(["10-42-0-5.b.ns"], Ptr(records, "10.42.0.5"));
    }

    [Fact]
    public void ChangedClusterIpMovesThePtrName()
    {
        var records = NewRecords();
        records.SetService(Service("ns", "web", "10.43.0.7"));

        records.SetService(Service("ns", "web", "10.43.0.8"));

        Assert.Empty(Ptr(records, "10.43.0.7"));
        Assert.Equal([".web.ns"], Ptr(records, "10.43.0.8"));
        Assert.Equal([IPAddress.Parse("10.43.0.8")], records.FindService("ns", "web")!.ClusterIPs);
    }

    [Fact]
    public void KindFollowsTheSpec()
    {
        var records = NewRecords();
        records.SetService(Service("ns", "ip", "10.43.0.7,fd00::7"));
        records.SetService(Service("ns", "headless", null));
        records.SetService(ExternalName("ns", "ext", "example.com."));

        Assert.Equal(ServiceKind.ClusterIP, records.FindService("ns", "ip")!.Kind);
        Assert.Equal(2, records.FindService("ns", "ip")!.ClusterIPs.Count);
        Assert.Equal(ServiceKind.Headless, records.FindService("ns", "headless")!.Kind);
        Assert.Equal(ServiceKind.ExternalName, records.FindService("ns", "ext")!.Kind);
        Assert.Equal("example.com", records.FindService("ns", "ext")!.ExternalName);
    }

    [Fact]
    public void SerialMovesWithEveryChange()
    {
        var records = NewRecords();
        var before = records.Serial;

        _time.Advance(TimeSpan.FromSeconds(42));
        records.SetService(Service("ns", "web", "10.43.0.7"));

        Assert.Equal(before + 42, records.Serial);
    }

    [Fact]
    public void NamespacesComeAndGo()
    {
        var records = NewRecords();
        records.SetNamespace(Namespace("team-a"));
        Assert.True(records.NamespaceExists("team-a"));

        records.RemoveNamespace(Namespace("team-a"));

        Assert.False(records.NamespaceExists("team-a"));
    }

    [Fact]
    public void PodAddressesAreCountedPerNamespace()
    {
        var records = NewRecords();
        records.SetPod(Pod("ns", "a", "10.42.0.5", "fd00::5"));
        records.SetPod(Pod("ns", "b", "10.42.0.5"));
        Assert.True(records.PodExists("ns", IPAddress.Parse("fd00::5")));
        Assert.False(records.PodExists("other", IPAddress.Parse("10.42.0.5")));

        records.RemovePod(Pod("ns", "a"));
        Assert.True(records.PodExists("ns", IPAddress.Parse("10.42.0.5")));
        Assert.False(records.PodExists("ns", IPAddress.Parse("fd00::5")));

        var finished = Pod("ns", "b", "10.42.0.5");
        finished.Status!.Phase = "Succeeded";
        records.SetPod(finished);
        Assert.False(records.PodExists("ns", IPAddress.Parse("10.42.0.5")));
    }

    [Fact]
    public async Task ReadersNeverSeeAHalfBuiltService()
    {
        var records = NewRecords();
        records.SetService(Service("ns", "web", null));
        var big = Slice("ns", "web-1", "web", "IPv4", Enumerable.Range(1, 200).Select(i => $"10.42.{i / 250}.{i % 250}").ToArray());
        var small = Slice("ns", "web-1", "web", "IPv4", ["10.42.9.9"]);
        using var stop = new CancellationTokenSource();

        var writer = Task.Run(() =>
        {
            for (var i = 0; i < 2000; i++)
            {
                records.SetEndpointSlice(i % 2 == 0 ? big : small);
            }

            stop.Cancel();
        });
        var seen = new HashSet<int>();
        while (!stop.IsCancellationRequested)
        {
            var entry = records.FindService("ns", "web")!;
            Assert.Equal(entry.Endpoints.Count, entry.EndpointsByHostname.Values.Sum(v => v.Count));
            seen.Add(entry.Endpoints.Count);
        }

        await writer;
        Assert.Subset(new HashSet<int> { 0, 1, 200 }, seen);
    }
}
