using Korral.Proxy.Rules;

namespace Korral.Proxy.Sync;

/// <summary>
/// What a UDP service port was reachable on and where it sent traffic, kept between syncs so that conntrack entries of
/// endpoints that went away can be removed (UDP "connections" would otherwise stick to a gone endpoint for as long as
/// the client keeps sending, as DNS clients do).
/// </summary>
public sealed record UdpServicePort(string PortName, IReadOnlyList<string> Destinations, int Port, int NodePort, IReadOnlySet<string> Endpoints)
{
    /// <summary>The UDP ports of one service's compiled ports.</summary>
    public static List<UdpServicePort> From(IReadOnlyList<ServicePortInfo> ports) =>
    [
        .. ports.Where(p => p.Protocol == "udp").Select(p => new UdpServicePort(
            p.PortName,
            [p.ClusterIP, .. p.ExternalIPs, .. p.LoadBalancerIPs],
            p.Port,
            p.NodePort,
            EndpointSelection.For(p).AllReachable.Select(e => e.Ip).ToHashSet(StringComparer.Ordinal))),
    ];

    /// <summary>
    /// conntrack arguments that remove stale UDP entries between two states of one service: entries DNATed to an
    /// endpoint no longer used, and, for a port that just got endpoints, entries made while it had none.
    /// </summary>
    public static List<string[]> StaleEntries(IReadOnlyList<UdpServicePort> before, IReadOnlyList<UdpServicePort> after)
    {
        var result = new List<string[]>();
        foreach (var old in before)
        {
            var now = after.FirstOrDefault(p => p.PortName == old.PortName);
            foreach (var endpoint in old.Endpoints.Where(e => now is null || !now.Endpoints.Contains(e)).Order(StringComparer.Ordinal))
            {
                foreach (var destination in old.Destinations)
                {
                    result.Add(["-D", "-p", "udp", "--orig-dst", destination, "--dst-nat", endpoint]);
                }

                if (old.NodePort > 0)
                {
                    result.Add(["-D", "-p", "udp", "--orig-port-dst", Number(old.NodePort), "--dst-nat", endpoint]);
                }
            }
        }

        foreach (var now in after.Where(p => p.Endpoints.Count > 0))
        {
            if (before.FirstOrDefault(p => p.PortName == now.PortName) is { Endpoints.Count: > 0 })
            {
                continue;
            }

            foreach (var destination in now.Destinations)
            {
                result.Add(["-D", "-p", "udp", "--orig-dst", destination, "--orig-port-dst", Number(now.Port)]);
            }

            if (now.NodePort > 0)
            {
                result.Add(["-D", "-p", "udp", "--orig-port-dst", Number(now.NodePort)]);
            }
        }

        return result;
    }

    private static string Number(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
