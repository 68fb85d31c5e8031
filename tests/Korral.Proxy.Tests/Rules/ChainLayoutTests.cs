using Korral.Proxy.Rules;

namespace Korral.Proxy.Tests.Rules;

public sealed class ChainLayoutTests
{
    [Fact]
    public void NamesFitIptablesAndAreStable()
    {
        var name = ChainLayout.Default.Endpoint("a-very-long-namespace-name/a-very-long-service-name:https", "sctp", "10.244.255.255:65535");

        Assert.StartsWith("KORRAL-SEP-", name, StringComparison.Ordinal);
        Assert.True(name.Length <= 28, name);
        Assert.Equal(name, ChainLayout.Default.Endpoint("a-very-long-namespace-name/a-very-long-service-name:https", "sctp", "10.244.255.255:65535"));
        Assert.Matches("^[A-Z2-7]{16}$", name["KORRAL-SEP-".Length..]);
    }

    [Fact]
    public void ProtocolAndEndpointChangeTheName()
    {
        Assert.NotEqual(ChainLayout.Default.Service("default/dns:dns", "udp"), ChainLayout.Default.Service("default/dns:dns", "tcp"));
        Assert.NotEqual(ChainLayout.Default.Endpoint("default/web", "tcp", "10.0.0.1:80"), ChainLayout.Default.Endpoint("default/web", "tcp", "10.0.0.2:80"));
        Assert.Equal(ChainLayout.Default.Service("ns/s", "tcp")[^16..], ChainLayout.Default.LocalService("ns/s", "tcp")[^16..]);
    }

    [Fact]
    public void Base32OfKnownDigest()
    {
        // SHA-256("") = e3b0c442 98fc1c14 9afb…: its first 80 bits in RFC 4648 base32.
        Assert.Equal("4OYMIQUY7QOBJGX3", ChainLayout.Hash(""));
    }

    [Fact]
    public void APrefixKeepsTwoProxiesApartAndWithinTheLength()
    {
        var other = new ChainLayout("KRL12-");

        Assert.Equal("KRL12-SERVICES", other.Services);
        Assert.True(other.Endpoint("ns/s:p", "tcp", "10.0.0.1:80").Length <= 28);
        Assert.False(ChainLayout.Default.IsOurs(other.Services));
        Assert.NotNull(ChainLayout.Problem("korral-"));
        Assert.NotNull(ChainLayout.Problem("KORRAL"));
        Assert.NotNull(ChainLayout.Problem("TOOLONGXX-"));
        Assert.Throws<ArgumentException>(() => new ChainLayout("a b-"));
    }

    [Theory]
    [InlineData(2, "0.5000000000")]
    [InlineData(3, "0.3333333333")]
    [InlineData(10, "0.1000000000")]
    public void ProbabilitiesAreOneOverN(int n, string expected) => Assert.Equal(expected, ServiceRuleWriter.Probability(n));
}
