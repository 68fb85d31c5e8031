using Korral.Proxy.Sync;

namespace Korral.Proxy.Tests.Sync;

public sealed class UdpServicePortTests
{
    private static UdpServicePort Dns(int nodePort, params string[] endpoints) =>
        new("dns", ["10.96.0.10", "192.0.2.5"], 53, nodePort, endpoints.ToHashSet());

    [Fact]
    public void RemovedEndpointsLoseTheirEntriesOnEveryDestination()
    {
        var deletions = UdpServicePort.StaleEntries([Dns(30053, "10.42.1.5", "10.42.1.6")], [Dns(30053, "10.42.1.6")]);

        Assert.Equal(
            [
                "-D -p udp --orig-dst 10.96.0.10 --dst-nat 10.42.1.5",
                "-D -p udp --orig-dst 192.0.2.5 --dst-nat 10.42.1.5",
                "-D -p udp --orig-port-dst 30053 --dst-nat 10.42.1.5",
            ],
            deletions.Select(d => string.Join(' ', d)));
    }

    [Fact]
    public void APortThatGetsItsFirstEndpointsLosesEntriesMadeWithoutThem()
    {
        var deletions = UdpServicePort.StaleEntries([Dns(0)], [Dns(0, "10.42.1.5")]);

        Assert.Equal(
            ["-D -p udp --orig-dst 10.96.0.10 --orig-port-dst 53", "-D -p udp --orig-dst 192.0.2.5 --orig-port-dst 53"],
            deletions.Select(d => string.Join(' ', d)));
    }

    [Fact]
    public void NothingChangedNothingToDelete()
    {
        Assert.Empty(UdpServicePort.StaleEntries([Dns(0, "10.42.1.5")], [Dns(0, "10.42.1.5")]));
        Assert.Empty(UdpServicePort.StaleEntries([], []));
    }
}
