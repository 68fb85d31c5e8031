using System.Net;
using System.Net.Sockets;
using System.Numerics;

namespace Korral.Controllers.NodeIpam;

/// <summary>
/// The node subnets of one cluster CIDR as a bitmap, one bit per subnet of <c>/nodeMaskSize</c> (upstream's cidrset):
/// allocation takes the next free subnet after the last one handed out, so a subnet just released is not reused at
/// once. Allocation scans 64 subnets per word, and a cluster CIDR holds at most 2^16 subnets, so it is a few hundred
/// word reads at worst. Not thread-safe: the owner locks.
/// </summary>
public sealed class CidrSet
{
    /// <summary>Upstream's limit: the node mask may be at most 16 bits longer than the cluster CIDR's.</summary>
    public const int MaxSubnetBits = 16;

    private readonly ulong[] _used;
    private readonly UInt128 _base;
    private readonly int _bits;
    private readonly int _shift;
    private readonly AddressFamily _family;
    private int _next;

    public CidrSet(IPNetwork cluster, int nodeMaskSize)
    {
        var errors = Validate(cluster, nodeMaskSize);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(nodeMaskSize));
        }

        Cluster = cluster;
        NodeMaskSize = nodeMaskSize;
        _family = cluster.BaseAddress.AddressFamily;
        _bits = _family == AddressFamily.InterNetwork ? 32 : 128;
        _shift = _bits - nodeMaskSize;
        _base = ToNumber(cluster.BaseAddress);
        Capacity = 1 << (nodeMaskSize - cluster.PrefixLength);
        _used = new ulong[(Capacity + 63) / 64];
        // Bits past the last subnet of a partial last word count as used, so the scan never hands them out.
        var tail = Capacity % 64;
        if (tail != 0)
        {
            _used[^1] = ulong.MaxValue << tail;
        }
    }

    public IPNetwork Cluster { get; }

    public int NodeMaskSize { get; }

    /// <summary>How many node subnets the cluster CIDR holds.</summary>
    public int Capacity { get; }

    /// <summary>How many of them are in use.</summary>
    public int Used { get; private set; }

    /// <summary>Every problem with a cluster CIDR and node mask size, each saying how to fix it; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(IPNetwork cluster, int nodeMaskSize)
    {
        var bits = cluster.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var errors = new List<string>();
        if (nodeMaskSize < cluster.PrefixLength || nodeMaskSize > bits || nodeMaskSize < 1)
        {
            errors.Add($"node CIDR mask size /{nodeMaskSize} must be between the cluster CIDR's /{cluster.PrefixLength} and /{bits}");
        }
        else if (nodeMaskSize - cluster.PrefixLength > MaxSubnetBits)
        {
            errors.Add($"node CIDR mask size /{nodeMaskSize} is more than {MaxSubnetBits} bits longer than the cluster CIDR {cluster} (use a longer cluster prefix or a shorter node mask)");
        }

        return errors;
    }

    /// <summary>
    /// Parses <c>address/prefix</c> as Go's net.ParseCIDR does: host bits after the prefix are allowed and dropped
    /// (<see cref="IPNetwork.TryParse(string, out IPNetwork)"/> refuses them).
    /// </summary>
    public static bool TryParse(string? text, out IPNetwork network)
    {
        network = default;
        if (text is null)
        {
            return false;
        }

        var slash = text.IndexOf('/');
        if (slash <= 0 || !IPAddress.TryParse(text.AsSpan(0, slash), out var address) ||
            !int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var prefix))
        {
            return false;
        }

        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (prefix > bits || address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[bits / 8];
        address.TryWriteBytes(bytes, out _);
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xff00 >> keep);
        }

        network = new IPNetwork(new IPAddress(bytes), prefix);
        return true;
    }

    /// <summary>Takes the next free subnet; false when every subnet is in use.</summary>
    public bool TryAllocateNext(out IPNetwork subnet)
    {
        if (Used < Capacity)
        {
            var words = _used.Length;
            var startWord = _next >> 6;
            var startBit = _next & 63;
            for (var k = 0; k <= words; k++)
            {
                var w = (startWord + k) % words;
                var free = ~_used[w];
                if (k == 0)
                {
                    free &= ulong.MaxValue << startBit;
                }
                else if (k == words)
                {
                    // Back at the starting word: only the bits before the starting point are left to look at.
                    free &= startBit == 0 ? 0 : (1UL << startBit) - 1;
                }

                if (free != 0)
                {
                    var index = (w << 6) + BitOperations.TrailingZeroCount(free);
                    Set(index);
                    _next = (index + 1) % Capacity;
                    subnet = SubnetAt(index);
                    return true;
                }
            }
        }

        subnet = default;
        return false;
    }

    /// <summary>
    /// Marks every subnet that <paramref name="cidr"/> overlaps as used; false when it lies outside the cluster CIDR
    /// (or is of the other address family), in which case nothing changes.
    /// </summary>
    public bool Occupy(IPNetwork cidr) => Apply(cidr, used: true);

    /// <summary>Marks every subnet that <paramref name="cidr"/> overlaps as free; false when it lies outside the cluster CIDR.</summary>
    public bool Release(IPNetwork cidr) => Apply(cidr, used: false);

    /// <summary>Whether the subnet holding <paramref name="cidr"/>'s first address is in use (false outside the range).</summary>
    public bool IsUsed(IPNetwork cidr)
    {
        var (first, _) = Range(cidr);
        return first >= 0 && (_used[first >> 6] & (1UL << (first & 63))) != 0;
    }

    private bool Apply(IPNetwork cidr, bool used)
    {
        var (first, last) = Range(cidr);
        if (first < 0)
        {
            return false;
        }

        for (var i = first; i <= last; i++)
        {
            if (used)
            {
                Set(i);
            }
            else
            {
                Clear(i);
            }
        }

        return true;
    }

    /// <summary>The first and last subnet index <paramref name="cidr"/> overlaps; (-1, -1) when it overlaps none.</summary>
    private (int First, int Last) Range(IPNetwork cidr)
    {
        if (cidr.BaseAddress.AddressFamily != _family)
        {
            return (-1, -1);
        }

        var start = ToNumber(cidr.BaseAddress);
        var end = start | HostMask(cidr.PrefixLength);
        var clusterEnd = _base | HostMask(Cluster.PrefixLength);
        if (end < _base || start > clusterEnd)
        {
            return (-1, -1);
        }

        var from = start < _base ? _base : start;
        var to = end > clusterEnd ? clusterEnd : end;
        return ((int)((from - _base) >> _shift), (int)((to - _base) >> _shift));
    }

    private void Set(int index)
    {
        ref var word = ref _used[index >> 6];
        var bit = 1UL << (index & 63);
        if ((word & bit) == 0)
        {
            word |= bit;
            Used++;
        }
    }

    private void Clear(int index)
    {
        ref var word = ref _used[index >> 6];
        var bit = 1UL << (index & 63);
        if ((word & bit) != 0)
        {
            word &= ~bit;
            Used--;
        }
    }

    private IPNetwork SubnetAt(int index)
    {
        var number = _base + ((UInt128)(uint)index << _shift);
        return new IPNetwork(ToAddress(number), NodeMaskSize);
    }

    private UInt128 HostMask(int prefixLength) =>
        _bits - prefixLength == 128 ? UInt128.MaxValue : (UInt128.One << (_bits - prefixLength)) - 1;

    private static UInt128 ToNumber(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        UInt128 value = 0;
        for (var i = 0; i < written; i++)
        {
            value = (value << 8) | bytes[i];
        }

        return value;
    }

    private IPAddress ToAddress(UInt128 value)
    {
        var length = _bits / 8;
        Span<byte> bytes = stackalloc byte[length];
        for (var i = length - 1; i >= 0; i--)
        {
            bytes[i] = (byte)(value & 0xff);
            value >>= 8;
        }

        return new IPAddress(bytes);
    }
}
