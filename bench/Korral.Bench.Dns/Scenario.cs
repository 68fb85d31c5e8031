using Korral.Dns.Forwarding;
using Korral.Dns.Wire;

namespace Korral.Bench.Dns;

/// <summary>What the clients ask: the name for the n-th query, its type and the transport.</summary>
public sealed record Scenario(string Name, string Description, DnsTransport Transport, Func<int, (string Name, DnsType Type)> Question)
{
    /// <summary>The UDP size the queries offer through EDNS(0); null: no OPT record (512 bytes, as musl and busybox ask).</summary>
    public ushort? EdnsSize { get; init; }

    public static IReadOnlyList<string> Names => [.. All(1).Select(s => s.Name)];

    public static IReadOnlyList<Scenario> All(int services) =>
    [
        new("cluster-a", "A of a random ClusterIP Service (svc-N.bench.svc.cluster.local)", DnsTransport.Udp,
            n => ($"svc-{Spread(n, services)}.bench.svc.cluster.local", DnsType.A)),
        new("cluster-srv", "SRV of a headless Service's named port with EDNS(0) 1232: 10 endpoints, 10 targets + 10 additional A (~1 KB)", DnsTransport.Udp,
            n => ($"_http._tcp.headless-{Spread(n, 100)}.bench.svc.cluster.local", DnsType.SRV)) { EdnsSize = 1232 },
        new("cluster-nx", "a search-path miss (name.bench.svc.cluster.local → NXDOMAIN + SOA)", DnsTransport.Udp,
            n => ($"host-{n % 1000}.example.com.bench.svc.cluster.local", DnsType.A)),
        new("forward-a", "A of a name outside the zone, forwarded to a fake upstream on loopback", DnsTransport.Udp,
            n => ($"host-{n % 1000}.example.com", DnsType.A)),
        new("tcp-cluster-a", "cluster-a over TCP, one connection per client", DnsTransport.Tcp,
            n => ($"svc-{Spread(n, services)}.bench.svc.cluster.local", DnsType.A)),
    ];

    /// <summary>Walks all of 0..count-1 in a scattered order, so that no two neighbouring queries hit the same entry.</summary>
    private static int Spread(int n, int count) => (int)((uint)(n * 2654435761u) % (uint)count);
}
