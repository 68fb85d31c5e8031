using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Proxy.LoadBalancer;

namespace Korral.Proxy.Tests.LoadBalancer;

public sealed class LoadBalancerAddressesTests
{
    [Fact]
    public void ExternalIPsWinOverInternalOnesPerNodeSortedAndDistinct()
    {
        var nodes = new[]
        {
            Node("b", ready: true, ("InternalIP", "192.0.2.2"), ("ExternalIP", "198.51.100.2")),
            Node("a", ready: true, ("InternalIP", "192.0.2.1"), ("Hostname", "a")),
            Node("c", ready: false, ("InternalIP", "192.0.2.3")),
        };

        Assert.Equal(["192.0.2.1", "198.51.100.2"], LoadBalancerAddresses.For(nodes));
    }

    [Fact]
    public void EnableLabelPicksAPool()
    {
        var pool = Node("p", ready: true, ("InternalIP", "192.0.2.9"));
        pool.Metadata!.Labels = new Dictionary<string, string> { [LoadBalancerAddresses.EnableLabel] = "true" };
        var off = Node("q", ready: true, ("InternalIP", "192.0.2.8"));
        off.Metadata!.Labels = new Dictionary<string, string> { [LoadBalancerAddresses.EnableLabel] = "false" };

        Assert.Equal(["192.0.2.9"], LoadBalancerAddresses.For([pool, off, Node("r", ready: true, ("InternalIP", "192.0.2.7"))]));
        Assert.Equal(["192.0.2.7"], LoadBalancerAddresses.For([off, Node("r", ready: true, ("InternalIP", "192.0.2.7"))]));
    }

    [Theory]
    [InlineData("LoadBalancer", null, true)]
    [InlineData("LoadBalancer", "example.com/lb", false)]
    [InlineData("NodePort", null, false)]
    public void OnlyClasslessLoadBalancersAreOurs(string type, string? loadBalancerClass, bool ours) =>
        Assert.Equal(ours, LoadBalancerAddresses.IsOurs(new Service { Spec = new ServiceSpec { Type = type, LoadBalancerClass = loadBalancerClass } }));

    private static Node Node(string name, bool ready, params (string Type, string Address)[] addresses) => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Status = new NodeStatus
        {
            Addresses = [.. addresses.Select(a => new NodeAddress { Type = a.Type, Address = a.Address })],
            Conditions = [new NodeCondition { Type = "Ready", Status = ready ? "True" : "False" }],
        },
    };
}
