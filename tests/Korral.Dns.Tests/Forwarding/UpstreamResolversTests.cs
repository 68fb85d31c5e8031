using System.Net;
using Korral.Dns.Forwarding;

namespace Korral.Dns.Tests.Forwarding;

public sealed class UpstreamResolversTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("korral-dns-resolv-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ParsesNameserverLines()
    {
        var servers = UpstreamResolvers.Parse("""
            # generated
            search example.com
            nameserver 192.0.2.53
            nameserver   2001:db8::53
            nameserver fe80::1%1
            nameserver 192.0.2.53
            nameserver not-an-address
            options ndots:2
            """);

        Assert.Equal(["192.0.2.53:53", "[2001:db8::53]:53", "[fe80::1%1]:53"], servers.Select(s => s.ToString()));
    }

    [Fact]
    public void UsesResolvConfWhenItNamesRealServers()
    {
        var servers = UpstreamResolvers.FromResolvConf(Write("resolv.conf", "nameserver 192.0.2.53\nnameserver 127.0.0.1\n"),
            Write("systemd.conf", "nameserver 198.51.100.1\n"));

        Assert.Equal(["192.0.2.53:53", "127.0.0.1:53"], servers.Select(s => s.ToString()));
    }

    [Fact]
    public void LoopbackStubIsReplacedBySystemdResolvedsUpstreams()
    {
        // As k3s: systemd-resolved's 127.0.0.53 stub stands for the real servers it keeps in /run/systemd/resolve/resolv.conf.
        var servers = UpstreamResolvers.FromResolvConf(Write("resolv.conf", "nameserver 127.0.0.53\noptions edns0 trust-ad\n"),
            Write("systemd.conf", "nameserver 198.51.100.1\nnameserver 198.51.100.2\n"));

        Assert.Equal(["198.51.100.1:53", "198.51.100.2:53"], servers.Select(s => s.ToString()));
    }

    [Fact]
    public void LoopbackStubStaysWhenThereIsNothingBetter()
    {
        var stubOnly = Write("resolv.conf", "nameserver 127.0.0.53\n");

        Assert.Equal(["127.0.0.53:53"], UpstreamResolvers.FromResolvConf(stubOnly, Path.Combine(_dir, "absent")).Select(s => s.ToString()));
        Assert.Equal(["127.0.0.53:53"], UpstreamResolvers.FromResolvConf(stubOnly, Write("systemd.conf", "nameserver 127.0.0.1\n")).Select(s => s.ToString()));
        Assert.Empty(UpstreamResolvers.FromResolvConf(Path.Combine(_dir, "absent"), Path.Combine(_dir, "absent")));
    }

    [Fact]
    public void DropsUpstreamsThatAreThisServer()
    {
        IPEndPoint[] upstreams = [new(IPAddress.Loopback, 53), new(IPAddress.Parse("127.0.0.53"), 53), new(IPAddress.Parse("192.0.2.53"), 53),
            new(IPAddress.Parse("10.96.0.10"), 53)];

        var specific = UpstreamResolvers.WithoutLoops(upstreams, [new IPEndPoint(IPAddress.Parse("10.96.0.10"), 53)]);
        var wildcard = UpstreamResolvers.WithoutLoops(upstreams, [new IPEndPoint(IPAddress.Any, 53)]);
        var otherPort = UpstreamResolvers.WithoutLoops(upstreams, [new IPEndPoint(IPAddress.Any, 5353)]);

        Assert.Equal(["127.0.0.1:53", "127.0.0.53:53", "192.0.2.53:53"], specific.Select(s => s.ToString()));
        Assert.Equal(["192.0.2.53:53", "10.96.0.10:53"], wildcard.Select(s => s.ToString()));
        Assert.Equal(4, otherPort.Count);
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }
}
