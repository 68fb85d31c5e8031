using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Korral.Bench.Kubelet.Cluster;

/// <summary>
/// The benchmark node's own pod network: a bridge name and a cluster CIDR that nothing on this machine uses, so it never
/// meets the E2E cluster's cni0 / 10.42.0.0/16 or another fixture's network. The bridge is deleted at the end.
/// </summary>
public sealed record NodeNetwork(string BridgeName, string ClusterCidr)
{
    /// <summary>Picks a bridge "kbn&lt;hex&gt;" and a free 10.N.0.0/16 with N in 200–249 (no address or route of this machine in it).</summary>
    public static NodeNetwork Choose(string id)
    {
        var used = UsedSecondOctets();
        var start = Random.Shared.Next(200, 250);
        for (var i = 0; i < 50; i++)
        {
            var octet = 200 + ((start - 200 + i) % 50);
            if (!used.Contains(octet))
            {
                return new NodeNetwork($"kbn{id[..6]}", $"10.{octet}.0.0/16");
            }
        }

        throw new InvalidOperationException("every 10.200-249.0.0/16 is in use on this machine: no free pod network for the benchmark node");
    }

    /// <summary>Second octets of 10.x addresses and routes on this machine.</summary>
    private static HashSet<int> UsedSecondOctets()
    {
        var used = new HashSet<int>();
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            foreach (var address in nic.GetIPProperties().UnicastAddresses)
            {
                if (address.Address.AddressFamily == AddressFamily.InterNetwork && address.Address.GetAddressBytes() is [10, var second, _, _])
                {
                    used.Add(second);
                }
            }
        }

        // /proc/net/route: destination in hex, little-endian (0100A8C0 = 192.168.0.1).
        if (File.Exists("/proc/net/route"))
        {
            foreach (var line in File.ReadLines("/proc/net/route").Skip(1))
            {
                var fields = line.Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (fields.Length > 1 && uint.TryParse(fields[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var destination))
                {
                    var bytes = new IPAddress(destination).GetAddressBytes();
                    if (bytes[0] == 10)
                    {
                        used.Add(bytes[1]);
                    }
                }
            }
        }

        return used;
    }
}
