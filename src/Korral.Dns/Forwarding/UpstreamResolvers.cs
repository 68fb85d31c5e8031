using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Korral.Dns.Forwarding;

/// <summary>
/// The node's upstream resolvers, chosen as k3s chooses the resolv.conf it hands CoreDNS: <c>/etc/resolv.conf</c>,
/// unless all its name servers are loopback stubs (systemd-resolved's 127.0.0.53, a local dnsmasq), then the real
/// upstreams systemd-resolved keeps in <c>/run/systemd/resolve/resolv.conf</c>. Unlike k3s this server runs in the
/// node's own network namespace, so a loopback stub still works when there is nothing better; only a server that would
/// be this server itself is dropped (<see cref="WithoutLoops"/>), since forwarding to it would loop.
/// </summary>
public static class UpstreamResolvers
{
    public const string ResolvConf = "/etc/resolv.conf";
    public const string SystemdResolvedConf = "/run/systemd/resolve/resolv.conf";

    public static IReadOnlyList<IPEndPoint> FromResolvConf(string path = ResolvConf, string systemdPath = SystemdResolvedConf)
    {
        var servers = File.Exists(path) ? Parse(File.ReadAllText(path)) : [];
        if (servers.All(s => IPAddress.IsLoopback(s.Address)) && File.Exists(systemdPath))
        {
            var behindStub = Parse(File.ReadAllText(systemdPath));
            if (behindStub.Any(s => !IPAddress.IsLoopback(s.Address)))
            {
                return behindStub;
            }
        }

        return servers;
    }

    /// <summary>The <c>nameserver</c> lines of a resolv.conf, on port 53 (IPv6 with a zone, fe80::1%2, kept).</summary>
    public static IReadOnlyList<IPEndPoint> Parse(string content)
    {
        var servers = new List<IPEndPoint>();
        foreach (var line in content.Split('\n'))
        {
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 2 && fields[0] == "nameserver" && IPAddress.TryParse(fields[1], out var address))
            {
                var endpoint = new IPEndPoint(address, 53);
                if (!servers.Contains(endpoint))
                {
                    servers.Add(endpoint);
                }
            }
        }

        return servers;
    }

    /// <summary>
    /// <paramref name="upstreams"/> without those that are this server: the same address and port as a listen endpoint,
    /// or any address of this machine when the server listens on the wildcard address of that port.
    /// </summary>
    public static IReadOnlyList<IPEndPoint> WithoutLoops(IEnumerable<IPEndPoint> upstreams, IEnumerable<IPEndPoint> listening)
    {
        var listen = listening.ToList();
        HashSet<IPAddress>? local = null;
        bool IsSelf(IPEndPoint upstream)
        {
            foreach (var l in listen.Where(l => l.Port == upstream.Port))
            {
                if (l.Address.Equals(upstream.Address))
                {
                    return true;
                }

                if (l.Address.Equals(IPAddress.Any) || l.Address.Equals(IPAddress.IPv6Any))
                {
                    local ??= LocalAddresses();
                    if (IPAddress.IsLoopback(upstream.Address) || local.Contains(upstream.Address))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        return upstreams.Where(u => !IsSelf(u)).ToList();
    }

    private static HashSet<IPAddress> LocalAddresses()
    {
        var addresses = new HashSet<IPAddress>();
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
                {
                    addresses.Add(unicast.Address);
                }
            }
        }
        catch (NetworkInformationException)
        {
            // Interfaces can vanish while being read (pod veths): the loopback check above still holds.
        }

        return addresses;
    }
}
