using System.Net;
using System.Net.Sockets;

namespace Korral.Dns.Cluster;

/// <summary>
/// Addresses written as one DNS label, as kube-dns and CoreDNS do for pod records and unnamed endpoints: 10.0.0.1 is
/// <c>10-0-0-1</c>, fd00::1 is <c>fd00--1</c> (every dot or colon a dash).
/// </summary>
public static class DashedAddress
{
    public static string Format(IPAddress address) =>
        address.ToString().Replace(address.AddressFamily == AddressFamily.InterNetworkV6 ? ':' : '.', '-');

    /// <summary>The address of a dashed label; false for anything else (IPv4 needs exactly four decimal parts).</summary>
    public static bool TryParse(string label, out IPAddress address)
    {
        address = IPAddress.None;
        var dashes = label.AsSpan().Count('-');
        if (dashes == 3 && !label.Contains("--", StringComparison.Ordinal))
        {
            Span<byte> bytes = stackalloc byte[4];
            var i = 0;
            foreach (var range in label.AsSpan().Split('-'))
            {
                var part = label.AsSpan(range);
                if (part.Length is 0 or > 3 || !byte.TryParse(part, System.Globalization.NumberStyles.None, null, out bytes[i++]))
                {
                    return false;
                }
            }

            address = new IPAddress(bytes);
            return true;
        }

        if (dashes >= 2 && IPAddress.TryParse(label.Replace('-', ':'), out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6
            && !label.Contains('%', StringComparison.Ordinal))
        {
            address = v6;
            return true;
        }

        return false;
    }
}
