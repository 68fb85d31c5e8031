using System.Net;
using System.Net.Sockets;

namespace Korral.ApiServer.Allocation;

/// <summary>
/// Hands out addresses of the service cluster IP range without duplicates. The first address (the range's network
/// address) and the last are never used, and the first usable one is the `kubernetes` Service's, as upstream.
/// State lives in memory and is rebuilt from the stored Services at start.
/// </summary>
public sealed class IpAllocator
{
    private readonly object _gate = new();
    private readonly HashSet<uint> _used = [];
    private readonly uint _base;
    private readonly uint _size;
    private uint _next;

    public IpAllocator(string cidr)
    {
        var slash = cidr.IndexOf('/');
        if (slash < 0 || !IPAddress.TryParse(cidr[..slash], out var address) || address.AddressFamily != AddressFamily.InterNetwork ||
            !int.TryParse(cidr[(slash + 1)..], out var bits) || bits is < 8 or > 30)
        {
            throw new ArgumentException($"invalid IPv4 service CIDR \"{cidr}\" (expected e.g. 10.96.0.0/12, prefix 8 to 30)", nameof(cidr));
        }

        var mask = bits == 0 ? 0u : uint.MaxValue << (32 - bits);
        _base = ToUInt(address) & mask;
        _size = ~mask + 1;
        Cidr = cidr;
    }

    public string Cidr { get; }

    /// <summary>The address at <paramref name="offset"/> in the range (1 is the `kubernetes` Service, 10 cluster DNS).</summary>
    public string AddressAt(uint offset) => FromUInt(_base + offset);

    public bool Contains(string ip) =>
        IPAddress.TryParse(ip, out var a) && a.AddressFamily == AddressFamily.InterNetwork && ToUInt(a) - _base is var o && o > 0 && o < _size - 1;

    /// <summary>Takes a specific address; false when it is outside the range or already taken.</summary>
    public bool TryReserve(string ip)
    {
        if (!Contains(ip))
        {
            return false;
        }

        lock (_gate)
        {
            return _used.Add(ToUInt(IPAddress.Parse(ip)));
        }
    }

    /// <summary>Takes the next free address, or null when the range is full.</summary>
    public string? Allocate()
    {
        lock (_gate)
        {
            var usable = _size - 2;
            for (uint i = 0; i < usable; i++)
            {
                var candidate = _base + 1 + ((_next + i) % usable);
                if (_used.Add(candidate))
                {
                    _next = (_next + i + 1) % usable;
                    return FromUInt(candidate);
                }
            }

            return null;
        }
    }

    public void Release(string ip)
    {
        if (IPAddress.TryParse(ip, out var a) && a.AddressFamily == AddressFamily.InterNetwork)
        {
            lock (_gate)
            {
                _used.Remove(ToUInt(a));
            }
        }
    }

    private static uint ToUInt(IPAddress a)
    {
        var b = a.GetAddressBytes();
        return ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
    }

    private static string FromUInt(uint v) => $"{v >> 24}.{(v >> 16) & 255}.{(v >> 8) & 255}.{v & 255}";
}
