using System.Globalization;
using System.Net;

namespace Korral.Dns.Zone;

/// <summary>The address of a reverse name: <c>d.c.b.a.in-addr.arpa</c> (RFC 1035 §3.5) or 32 nibbles <c>….ip6.arpa</c> (RFC 3596 §2.5).</summary>
public static class ReverseName
{
    public const string V4Suffix = ".in-addr.arpa";
    public const string V6Suffix = ".ip6.arpa";

    /// <summary>False for a name under the reverse zones that is not a whole address (a network, or anything else).</summary>
    public static bool TryParse(string lowerName, out IPAddress address)
    {
        address = IPAddress.None;
        if (lowerName.EndsWith(V4Suffix, StringComparison.Ordinal))
        {
            var labels = lowerName[..^V4Suffix.Length].Split('.');
            if (labels.Length != 4)
            {
                return false;
            }

            var bytes = new byte[4];
            for (var i = 0; i < 4; i++)
            {
                if (labels[i].Length is 0 or > 3 || !byte.TryParse(labels[i], NumberStyles.None, CultureInfo.InvariantCulture, out bytes[3 - i]))
                {
                    return false;
                }
            }

            address = new IPAddress(bytes);
            return true;
        }

        if (lowerName.EndsWith(V6Suffix, StringComparison.Ordinal))
        {
            var labels = lowerName[..^V6Suffix.Length].Split('.');
            if (labels.Length != 32)
            {
                return false;
            }

            var bytes = new byte[16];
            for (var i = 0; i < 32; i++)
            {
                if (labels[i].Length != 1 || !char.IsAsciiHexDigit(labels[i][0]))
                {
                    return false;
                }

                var nibble = Convert.ToByte(labels[i], 16);
                var index = 15 - (i / 2);
                bytes[index] |= (byte)(i % 2 == 0 ? nibble : nibble << 4);
            }

            address = new IPAddress(bytes);
            return true;
        }

        return false;
    }
}
