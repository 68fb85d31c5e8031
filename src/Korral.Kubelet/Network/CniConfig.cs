using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Korral.Kubelet.Containerd;

namespace Korral.Kubelet.Network;

/// <summary>
/// The node's CNI conflist: bridge (gateway on the bridge, masquerade off the pod CIDR, hairpin for Services that send a
/// pod back to itself) with host-local IPAM, portmap for hostPorts, loopback for the pod's lo. cniVersion 1.0.0, which
/// containernetworking-plugins 1.1.1 and containerd 1.6's libcni both accept.
/// </summary>
public static class CniConfig
{
    public const string CniVersion = "1.0.0";

    /// <summary>Writes the conflist (temp file + rename, skipped when unchanged); returns its path.</summary>
    public static string Write(CniNetworkOptions options)
    {
        var path = Path.Combine(options.ConfDir, options.FileName);
        AtomicFile.WriteIfChanged(path, Render(options));
        return path;
    }

    public static string Render(CniNetworkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (subnet, gateway) = ParsePodCidr(options.PodCidr);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, IndentSize = 2 }))
        {
            json.WriteStartObject();
            json.WriteString("cniVersion", CniVersion);
            json.WriteString("name", options.NetworkName);
            json.WriteStartArray("plugins");

            json.WriteStartObject();
            json.WriteString("type", "bridge");
            json.WriteString("bridge", options.BridgeName);
            json.WriteBoolean("isGateway", true);
            json.WriteBoolean("ipMasq", true);
            json.WriteBoolean("hairpinMode", true);
            json.WriteStartObject("ipam");
            json.WriteString("type", "host-local");
            json.WriteStartArray("ranges");
            json.WriteStartArray();
            json.WriteStartObject();
            json.WriteString("subnet", subnet);
            json.WriteString("gateway", gateway);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndArray();
            json.WriteStartArray("routes");
            json.WriteStartObject();
            json.WriteString("dst", "0.0.0.0/0");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteString("dataDir", options.DataDir);
            json.WriteEndObject();
            json.WriteEndObject();

            json.WriteStartObject();
            json.WriteString("type", "portmap");
            json.WriteStartObject("capabilities");
            json.WriteBoolean("portMappings", true);
            json.WriteEndObject();
            json.WriteEndObject();

            json.WriteStartObject();
            json.WriteString("type", "loopback");
            json.WriteEndObject();

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length) + "\n";
    }

    /// <summary>The CIDR in canonical form and its first host address (the bridge's), e.g. 10.42.0.0/24 and 10.42.0.1.</summary>
    public static (string Subnet, string Gateway) ParsePodCidr(string podCidr)
    {
        if (!IPNetwork.TryParse(podCidr, out var network) || network.BaseAddress.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"pod CIDR \"{podCidr}\" is not an IPv4 CIDR like 10.42.0.0/24", nameof(podCidr));
        }

        if (network.PrefixLength > 30)
        {
            throw new ArgumentException($"pod CIDR \"{podCidr}\" is too small: it needs room for a gateway and pods (at most /30)", nameof(podCidr));
        }

        Span<byte> bytes = stackalloc byte[4];
        network.BaseAddress.TryWriteBytes(bytes, out _);
        bytes[3]++;
        return (network.ToString(), new IPAddress(bytes).ToString());
    }
}
