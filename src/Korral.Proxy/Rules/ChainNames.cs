using System.Security.Cryptography;
using System.Text;

namespace Korral.Proxy.Rules;

/// <summary>
/// Hashed chain names: iptables limits chain names to 28 characters, so a service port's chains are named by the first
/// 16 base32 characters of a SHA-256 of "namespace/name:port" + protocol (+ the endpoint for SEP chains), as kube-proxy
/// does. Stable across restarts, so a resync rewrites chains in place instead of renaming them.
/// </summary>
public static class ChainNames
{
    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static string Service(string servicePortName, string protocol) => KorralChains.ServicePrefix + Hash(servicePortName + protocol);

    public static string LocalService(string servicePortName, string protocol) => KorralChains.LocalServicePrefix + Hash(servicePortName + protocol);

    public static string External(string servicePortName, string protocol) => KorralChains.ExternalPrefix + Hash(servicePortName + protocol);

    public static string Firewall(string servicePortName, string protocol) => KorralChains.FirewallPrefix + Hash(servicePortName + protocol);

    public static string Endpoint(string servicePortName, string protocol, string endpoint) =>
        KorralChains.EndpointPrefix + Hash(servicePortName + protocol + endpoint);

    /// <summary>The first 16 base32 characters (80 bits) of SHA-256(<paramref name="text"/>).</summary>
    internal static string Hash(string text)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), digest);
        Span<char> chars = stackalloc char[16];
        // 16 characters of 5 bits = the first 10 bytes.
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
