using System.Security.Cryptography;
using System.Text;

namespace Korral.Proxy.Rules;

/// <summary>
/// The names of the proxy's chains, all starting with one prefix (<see cref="DefaultPrefix"/>, "KORRAL-"), so that
/// clean-up and stale-chain removal recognise them without touching anything else on the host, and so that two
/// proxies on one host (two test clusters) can keep apart by using two prefixes. The layout follows kube-proxy's
/// iptables mode (KUBE-SERVICES, KUBE-SVC-*, KUBE-SEP-* …) with the prefix in place of KUBE-.
/// <para>Per-service chains are named by the first 16 base32 characters of a SHA-256 of "namespace/name:port" +
/// protocol (+ "ip:port" for endpoint chains), as kube-proxy does: stable across restarts, and within iptables' 28
/// characters for prefixes of up to 8.</para>
/// </summary>
public sealed class ChainLayout
{
    public const string DefaultPrefix = "KORRAL-";

    /// <summary>The mark (bit) that asks the postrouting chain to masquerade, the value kube-proxy uses.</summary>
    public const string MasqueradeMark = "0x4000";

    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public ChainLayout(string prefix = DefaultPrefix)
    {
        if (Problem(prefix) is { } problem)
        {
            throw new ArgumentException(problem, nameof(prefix));
        }

        Prefix = prefix;
    }

    public static ChainLayout Default { get; } = new();

    public string Prefix { get; }

    /// <summary>nat: every service portal (cluster IPs, external IPs, load-balancer IPs), then the node ports; filter: rejections.</summary>
    public string Services => Prefix + "SERVICES";

    /// <summary>filter: rejections and drops for external destinations (external IPs, load-balancer IPs, node ports).</summary>
    public string ExternalServices => Prefix + "EXTERNAL-SERVICES";

    /// <summary>nat: node ports, reached from the last rule of the services chain for local destinations.</summary>
    public string NodePorts => Prefix + "NODEPORTS";

    /// <summary>nat: masquerades what the mark-masq chain marked.</summary>
    public string Postrouting => Prefix + "POSTROUTING";

    /// <summary>nat: marks a packet for masquerading.</summary>
    public string MarkMasq => Prefix + "MARK-MASQ";

    /// <summary>filter: lets marked (service) traffic through FORWARD even when its policy is DROP.</summary>
    public string Forward => Prefix + "FORWARD";

    /// <summary>filter: blocks martian packets to 127/8, the hole that route_localnet (localhost node ports) opens.</summary>
    public string Firewall => Prefix + "FIREWALL";

    /// <summary>filter: drops traffic to load-balancer IPs from sources outside loadBalancerSourceRanges.</summary>
    public string ProxyFirewall => Prefix + "PROXY-FIREWALL";

    /// <summary>Every usable endpoint of a service port (Cluster traffic policy).</summary>
    public string Service(string servicePortName, string protocol) => Prefix + "SVC-" + Hash(servicePortName + protocol);

    /// <summary>This node's endpoints of a service port (Local traffic policy).</summary>
    public string LocalService(string servicePortName, string protocol) => Prefix + "SVL-" + Hash(servicePortName + protocol);

    /// <summary>External destinations of a service port (node port, external and load-balancer IPs).</summary>
    public string External(string servicePortName, string protocol) => Prefix + "EXT-" + Hash(servicePortName + protocol);

    /// <summary>The source-range check of a load-balancer service port.</summary>
    public string LoadBalancerFirewall(string servicePortName, string protocol) => Prefix + "FW-" + Hash(servicePortName + protocol);

    /// <summary>One endpoint of a service port: hairpin masquerade and DNAT.</summary>
    public string Endpoint(string servicePortName, string protocol, string endpoint) => Prefix + "SEP-" + Hash(servicePortName + protocol + endpoint);

    /// <summary>True for any chain of this layout.</summary>
    public bool IsOurs(string chain) => chain.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Why <paramref name="prefix"/> cannot name chains (null when it can): 2–8 of A–Z, 0–9 and '-', ending in '-'.</summary>
    public static string? Problem(string? prefix) =>
        prefix is { Length: >= 2 and <= 8 } && prefix[^1] == '-' && prefix.All(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-')
            ? null
            : $"chain prefix \"{prefix}\" must be 2-8 characters of A-Z, 0-9 and '-', ending in '-' (such as {DefaultPrefix})";

    /// <summary>The first 16 base32 characters (80 bits) of SHA-256(<paramref name="text"/>).</summary>
    internal static string Hash(string text)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), digest);
        Span<char> chars = stackalloc char[16];
        // 16 characters of 5 bits = the first 10 bytes, taken as two 40-bit halves.
        ulong high = 0;
        for (var i = 0; i < 5; i++)
        {
            high = (high << 8) | digest[i];
        }

        ulong low = 0;
        for (var i = 5; i < 10; i++)
        {
            low = (low << 8) | digest[i];
        }

        for (var i = 0; i < 8; i++)
        {
            chars[i] = Base32Alphabet[(int)((high >> (35 - (5 * i))) & 31)];
            chars[8 + i] = Base32Alphabet[(int)((low >> (35 - (5 * i))) & 31)];
        }

        return new string(chars);
    }
}
