using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Api.Models.NetworkingV1;
using Korral.Ingress.Status;

namespace Korral.Ingress.Tests.Translation;

using Ingress = Korral.Api.Models.NetworkingV1.Ingress;

public sealed class PublishedAddressesTests
{
    [Fact]
    public void InternalAddressesOfTheNodeSorted()
    {
        var node = Node(("Hostname", "vm"), ("InternalIP", "192.0.2.20"), ("InternalIP", "192.0.2.10"), ("InternalIP", "fd00::2"));

        Assert.Equal(["192.0.2.10", "192.0.2.20", "fd00::2"], PublishedAddresses.For(node, []).Select(i => i.Ip));
    }

    [Fact]
    public void ExternalAddressesWinOverInternalOnes()
    {
        var node = Node(("InternalIP", "10.0.0.5"), ("ExternalIP", "203.0.113.7"));

        Assert.Equal(["203.0.113.7"], PublishedAddresses.For(node, []).Select(i => i.Ip));
    }

    [Fact]
    public void ConfiguredAddressesReplaceTheNodesIpsAsIpAndNamesAsHostname()
    {
        var published = PublishedAddresses.For(Node(("InternalIP", "10.0.0.5")), ["lb.example.com", "198.51.100.1"]);

        Assert.Equal([("198.51.100.1", null), (null, "lb.example.com")], published.Select(i => (i.Ip, i.Hostname)));
    }

    [Fact]
    public void UnknownNodePublishesNothing() => Assert.Empty(PublishedAddresses.For(null, []));

    [Fact]
    public void StatusMatchesWhenItListsTheSameAddressesInOrder()
    {
        var ingress = new Ingress
        {
            Status = new IngressStatus
            {
                LoadBalancer = new IngressLoadBalancerStatus { Ingress = [new IngressLoadBalancerIngress { Ip = "192.0.2.10" }] },
            },
        };

        Assert.True(PublishedAddresses.Matches(ingress, [new IngressLoadBalancerIngress { Ip = "192.0.2.10" }]));
        Assert.False(PublishedAddresses.Matches(ingress, [new IngressLoadBalancerIngress { Ip = "192.0.2.11" }]));
        Assert.False(PublishedAddresses.Matches(new Ingress(), [new IngressLoadBalancerIngress { Ip = "192.0.2.10" }]));
    }

    private static Node Node(params (string Type, string Address)[] addresses) => new()
    {
        Metadata = new ObjectMeta { Name = "vm" },
        Status = new NodeStatus { Addresses = [.. addresses.Select(a => new NodeAddress { Type = a.Type, Address = a.Address })] },
    };
}
