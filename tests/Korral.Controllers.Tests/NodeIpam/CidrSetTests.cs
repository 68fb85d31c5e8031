using System.Net;
using Korral.Controllers.NodeIpam;

namespace Korral.Controllers.Tests.NodeIpam;

public sealed class CidrSetTests
{
    private static CidrSet Set(string cluster, int mask)
    {
        Assert.True(CidrSet.TryParse(cluster, out var network));
        return new CidrSet(network, mask);
    }

    private static IPNetwork Net(string text)
    {
        Assert.True(CidrSet.TryParse(text, out var network), text);
        return network;
    }

    private static string Next(CidrSet set)
    {
        Assert.True(set.TryAllocateNext(out var subnet));
        return subnet.ToString();
    }

    [Theory]
    [InlineData("10.42.0.0/16", 24, 256, "10.42.0.0/24", "10.42.1.0/24", "10.42.2.0/24")]
    [InlineData("10.42.0.0/24", 24, 1, "10.42.0.0/24", null, null)]
    [InlineData("10.42.0.0/16", 26, 1024, "10.42.0.0/26", "10.42.0.64/26", "10.42.0.128/26")]
    [InlineData("fd00::/48", 64, 65536, "fd00::/64", "fd00:0:0:1::/64", "fd00:0:0:2::/64")]
    public void Subnets_are_handed_out_in_order(string cluster, int mask, int capacity, string first, string? second, string? third)
    {
        var set = Set(cluster, mask);
        Assert.Equal(capacity, set.Capacity);
        Assert.Equal(first, Next(set));
        if (second is null)
        {
            Assert.False(set.TryAllocateNext(out _));
            return;
        }

        Assert.Equal(second, Next(set));
        Assert.Equal(third, Next(set));
        Assert.Equal(3, set.Used);
    }

    [Fact]
    public void A_released_subnet_is_reused_only_after_those_after_it()
    {
        var set = Set("10.42.0.0/22", 24);
        var all = Enumerable.Range(0, 4).Select(_ => Next(set)).ToList();
        Assert.Equal(["10.42.0.0/24", "10.42.1.0/24", "10.42.2.0/24", "10.42.3.0/24"], all);
        Assert.False(set.TryAllocateNext(out _));

        Assert.True(set.Release(Net("10.42.1.0/24")));
        Assert.Equal("10.42.1.0/24", Next(set));
        Assert.True(set.Release(Net("10.42.0.0/24")));
        Assert.True(set.Release(Net("10.42.2.0/24")));
        Assert.Equal("10.42.2.0/24", Next(set));   // after the last one handed out, not the lowest free
        Assert.Equal("10.42.0.0/24", Next(set));   // wrapped around
        Assert.False(set.TryAllocateNext(out _));
    }

    [Theory]
    [InlineData("10.244.3.0/24", false, 0)]    // a simulated node's CIDR: outside, ignored
    [InlineData("10.42.7.0/24", true, 1)]
    [InlineData("10.42.7.9/24", true, 1)]      // host bits allowed, as net.ParseCIDR
    [InlineData("10.42.6.0/23", true, 2)]      // wider than a node subnet: both halves
    [InlineData("10.42.7.128/25", true, 1)]    // narrower: the subnet holding it
    [InlineData("10.40.0.0/14", true, 256)]    // wider than the cluster CIDR: all of it
    [InlineData("fd00::/64", false, 0)]        // the other family
    public void Occupy_marks_the_subnets_a_cidr_overlaps(string cidr, bool inside, int used)
    {
        var set = Set("10.42.0.0/16", 24);
        Assert.Equal(inside, set.Occupy(Net(cidr)));
        Assert.Equal(used, set.Used);
        Assert.Equal(inside, set.IsUsed(Net(cidr)));
        Assert.Equal(inside, set.Release(Net(cidr)));
        Assert.Equal(0, set.Used);
    }

    [Fact]
    public void Occupied_subnets_are_skipped_and_counted_once()
    {
        var set = Set("10.42.0.0/16", 24);
        set.Occupy(Net("10.42.0.0/24"));
        set.Occupy(Net("10.42.0.0/24"));
        set.Occupy(Net("10.42.1.0/24"));
        Assert.Equal(2, set.Used);
        Assert.Equal("10.42.2.0/24", Next(set));
    }

    [Fact]
    public void Every_subnet_of_the_largest_range_is_allocated_once()
    {
        var set = Set("10.0.0.0/8", 24);
        var seen = new HashSet<string>();
        while (set.TryAllocateNext(out var subnet))
        {
            Assert.True(seen.Add(subnet.ToString()));
        }

        Assert.Equal(65536, seen.Count);
        Assert.Equal(set.Capacity, set.Used);
        Assert.Contains("10.255.255.0/24", seen);
    }

    [Theory]
    [InlineData("10.42.0.0/16", 24, null)]
    [InlineData("10.42.0.0/16", 16, null)]
    [InlineData("10.42.0.0/16", 8, "must be between the cluster CIDR's /16 and /32")]
    [InlineData("10.42.0.0/16", 33, "must be between the cluster CIDR's /16 and /32")]
    [InlineData("10.0.0.0/8", 25, "more than 16 bits longer")]
    [InlineData("fd00::/48", 64, null)]
    [InlineData("fd00::/40", 64, "more than 16 bits longer")]
    public void Validate_explains_bad_mask_sizes(string cluster, int mask, string? error)
    {
        var errors = CidrSet.Validate(Net(cluster), mask);
        if (error is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.Contains(error, Assert.Single(errors), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("10.42.1.5/24", "10.42.1.0/24")]
    [InlineData("10.42.0.0/16", "10.42.0.0/16")]
    [InlineData("fd00::1/64", "fd00::/64")]
    [InlineData("10.42.0.0", null)]
    [InlineData("10.42.0.0/33", null)]
    [InlineData("10.42.0.0/-1", null)]
    [InlineData("nonsense/8", null)]
    [InlineData("/8", null)]
    public void TryParse_accepts_what_net_ParseCIDR_accepts(string text, string? expected)
    {
        Assert.Equal(expected is not null, CidrSet.TryParse(text, out var network));
        if (expected is not null)
        {
            Assert.Equal(expected, network.ToString());
        }
    }

    [Theory]
    [InlineData("10.42.0.0/16", 24, 0)]
    [InlineData("bogus", 24, 1)]
    [InlineData("10.42.0.0/16", 12, 1)]
    public void Options_are_validated_with_the_flag_names(string cidr, int mask, int errors)
    {
        var found = new NodeIpamOptions { ClusterCidr = cidr, NodeCidrMaskSize = mask }.Validate();
        Assert.Equal(errors, found.Count);
        Assert.All(found, e => Assert.Contains("--cluster-cidr", e, StringComparison.Ordinal));
    }
}
