using Korral.Proxy.Rules;

namespace Korral.Proxy.Tests.Rules;

public sealed class ChainNamesTests
{
    [Fact]
    public void NamesFitIptablesAndAreStable()
    {
        var name = ChainNames.Endpoint("a-very-long-namespace-name/a-very-long-service-name:https", "sctp", "10.244.255.255:65535");

        Assert.StartsWith("KORRAL-SEP-", name, StringComparison.Ordinal);
        Assert.True(name.Length <= 28, name);
        Assert.Equal(name, ChainNames.Endpoint("a-very-long-namespace-name/a-very-long-service-name:https", "sctp", "10.244.255.255:65535"));
        Assert.Matches("^[A-Z2-7]{16}$", name["KORRAL-SEP-".Length..]);
    }

    [Fact]
    public void ProtocolAndEndpointChangeTheName()
    {
        Assert.NotEqual(ChainNames.Service("default/dns:dns", "udp"), ChainNames.Service("default/dns:dns", "tcp"));
        Assert.NotEqual(ChainNames.Endpoint("default/web", "tcp", "10.0.0.1:80"), ChainNames.Endpoint("default/web", "tcp", "10.0.0.2:80"));
        Assert.Equal(ChainNames.Service("ns/s", "tcp")[^16..], ChainNames.LocalService("ns/s", "tcp")[^16..]);
    }

    [Fact]
    public void Base32OfKnownDigest()
    {
        // SHA-256("") = e3b0c442 98fc1c14 9afb…: its first 80 bits in RFC 4648 base32.
        Assert.Equal("4OYMIQUY7QOBJGX3", ChainNames.Hash(""));
    }

    [Theory]
    [InlineData(2, "0.5000000000")]
    [InlineData(3, "0.3333333333")]
    [InlineData(10, "0.1000000000")]
    public void ProbabilitiesAreOneOverN(int n, string expected) => Assert.Equal(expected, ServiceRuleWriter.Probability(n));
}
