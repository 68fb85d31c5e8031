using System.Net;
using Korral.Dns.Cluster;
using Korral.Dns.Zone;

namespace Korral.Dns.Tests.Zone;

public sealed class AddressNameTests
{
    [Theory]
    [InlineData("10.0.0.1", "10-0-0-1")]
    [InlineData("fd00::1", "fd00--1")]
    [InlineData("5678:abcd::1", "5678-abcd--1")]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001-db8-1-2-3-4-5-6")]
    public void DashedAddressRoundTrips(string address, string dashed)
    {
        Assert.Equal(dashed, DashedAddress.Format(IPAddress.Parse(address)));
        Assert.True(DashedAddress.TryParse(dashed, out var parsed));
        Assert.Equal(IPAddress.Parse(address), parsed);
    }

    [Theory]
    [InlineData("blah")]
    [InlineData("1-2-3")]
    [InlineData("1-2-3-4-5")]
    [InlineData("g-1--2")]
    [InlineData("256-0-0-1")]
    [InlineData("01234-0-0-1")]
    [InlineData("+1-0-0-1")]
    [InlineData("fd00-1")]
    [InlineData("")]
    public void DashedAddressRejectsOtherLabels(string label)
    {
        Assert.False(DashedAddress.TryParse(label, out _));
    }

    [Theory]
    [InlineData("1.0.0.10.in-addr.arpa", "10.0.0.1")]
    [InlineData("255.255.255.255.in-addr.arpa", "255.255.255.255")]
    [InlineData("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa", "fd00::1")]
    public void ReverseNameParses(string name, string address)
    {
        Assert.True(ReverseName.TryParse(name, out var parsed));
        Assert.Equal(IPAddress.Parse(address), parsed);
    }

    [Theory]
    [InlineData("0.10.in-addr.arpa")]
    [InlineData("1.0.0.0.10.in-addr.arpa")]
    [InlineData("256.0.0.10.in-addr.arpa")]
    [InlineData("x.0.0.10.in-addr.arpa")]
    [InlineData("1.0.ip6.arpa")]
    [InlineData("10.0.0.1")]
    public void ReverseNameRejectsPartialNames(string name)
    {
        Assert.False(ReverseName.TryParse(name, out _));
    }
}
