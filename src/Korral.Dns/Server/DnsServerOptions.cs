using System.Net;
using Korral.Dns.Cluster;
using Korral.Dns.Forwarding;
using Korral.Dns.Zone;

namespace Korral.Dns.Server;

/// <summary>Settings of <see cref="DnsServer"/>, checked once at start; the defaults are CoreDNS's as k3s configures it.</summary>
public sealed record DnsServerOptions
{
    /// <summary>
    /// Where to listen, UDP and TCP on each. Port 0 picks a free port (the same for UDP and TCP); the bound endpoints are
    /// <see cref="DnsServer.UdpEndpoints"/> and <see cref="DnsServer.TcpEndpoints"/>.
    /// </summary>
    public IReadOnlyList<IPEndPoint> Listen { get; init; } = [new(IPAddress.Any, 53)];

    /// <summary>The cluster domain (kubelet --cluster-domain).</summary>
    public string Zone { get; init; } = "cluster.local";

    /// <summary>TTL of cluster records and of negative answers (CoreDNS: 5 s).</summary>
    public uint Ttl { get; init; } = 5;

    public PodRecordsMode Pods { get; init; } = PodRecordsMode.Insecure;

    /// <summary>Addresses of <c>ns.dns.&lt;zone&gt;</c>: the kube-dns Service's cluster IP(s).</summary>
    public IReadOnlyList<IPAddress> NameserverAddresses { get; init; } = [];

    /// <summary>PTR for cluster addresses under in-addr.arpa/ip6.arpa, the rest forwarded.</summary>
    public bool ReverseZones { get; init; } = true;

    /// <summary>Where names outside the zone go; null: the node's resolvers (<see cref="UpstreamResolvers.FromResolvConf"/>).</summary>
    public IReadOnlyList<IPEndPoint>? Upstreams { get; init; }

    /// <summary>The resolv.conf read when <see cref="Upstreams"/> is null.</summary>
    public string ResolvConf { get; init; } = UpstreamResolvers.ResolvConf;

    /// <summary>How long one upstream gets (CoreDNS forward: 2 s) and how long a forwarded query may take in all (5 s).</summary>
    public TimeSpan UpstreamTimeout { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan ForwardDeadline { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The largest UDP answer sent, whatever larger size a client offers (DNS flag day 2020, CoreDNS's bufsize: 1232).</summary>
    public int MaxUdpSize { get; init; } = 1232;

    /// <summary>Forwarded queries in flight at once; past that, REFUSED (CoreDNS forward's max_concurrent).</summary>
    public int MaxConcurrentForwards { get; init; } = 1000;

    /// <summary>TCP connections at once; past that new ones are closed.</summary>
    public int MaxTcpConnections { get; init; } = 256;

    /// <summary>A TCP connection with no query for this long is closed (RFC 7766 §6.2.3 suggests seconds).</summary>
    public TimeSpan TcpIdleTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>UDP receive loops per socket (default: one per processor).</summary>
    public int UdpReceivers { get; init; } = Environment.ProcessorCount;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public Action<string>? Log { get; init; }

    public ClusterZoneOptions ZoneOptions => new()
    {
        Zone = Zone,
        Ttl = Ttl,
        Pods = Pods,
        NameserverAddresses = NameserverAddresses,
        ReverseZones = ReverseZones,
    };

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>(ZoneOptions.Validate());
        if (Listen.Count == 0)
        {
            errors.Add("no listen endpoint: give at least one address and port (e.g. 0.0.0.0:53)");
        }

        if (MaxUdpSize is < 512 or > 65535)
        {
            errors.Add($"max UDP size {MaxUdpSize} must be between 512 and 65535");
        }

        if (UpstreamTimeout <= TimeSpan.Zero || ForwardDeadline < UpstreamTimeout)
        {
            errors.Add($"upstream timeouts must satisfy 0 < per-upstream ({UpstreamTimeout}) <= deadline ({ForwardDeadline})");
        }

        if (MaxConcurrentForwards < 1 || MaxTcpConnections < 1 || UdpReceivers < 1)
        {
            errors.Add("max concurrent forwards, max TCP connections and UDP receivers must each be at least 1");
        }

        if (TcpIdleTimeout <= TimeSpan.Zero)
        {
            errors.Add($"TCP idle timeout {TcpIdleTimeout} must be positive");
        }

        return errors;
    }
}
