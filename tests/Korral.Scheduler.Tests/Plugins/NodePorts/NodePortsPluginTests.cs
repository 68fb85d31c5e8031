using Korral.Api.Models.CoreV1;
using Korral.Scheduler.Framework;
using Korral.Scheduler.Plugins.NodePorts;

namespace Korral.Scheduler.Tests.Plugins.NodePorts;

public sealed class NodePortsPluginTests
{
    private static PodInfo WithPorts(string name, params ContainerPort[] ports) =>
        Objects.PodInfo(name, s => s.Containers = [new Container { Name = "c", Ports = ports }]);

    private static ContainerPort Port(int hostPort, string? protocol = null, string? hostIP = null) =>
        new() { ContainerPortValue = 80, HostPort = hostPort, Protocol = protocol, HostIP = hostIP };

    public static TheoryData<string, ContainerPort[], ContainerPort[], bool> Cases => new()
    {
        { "different port", [Port(8080)], [Port(8081)], true },
        { "same port, any address", [Port(8080)], [Port(8080)], false },
        { "same port, other protocol", [Port(8080, "UDP")], [Port(8080, "TCP")], true },
        { "same port, two specific addresses", [Port(8080, hostIP: "10.0.0.1")], [Port(8080, hostIP: "10.0.0.2")], true },
        { "same port and address", [Port(8080, hostIP: "10.0.0.1")], [Port(8080, hostIP: "10.0.0.1")], false },
        { "wanted wildcard against a specific address", [Port(8080)], [Port(8080, hostIP: "10.0.0.1")], false },
        { "specific address against a used wildcard", [Port(8080, hostIP: "10.0.0.1")], [Port(8080, hostIP: "0.0.0.0")], false },
        { "one of several conflicts", [Port(1), Port(8080)], [Port(8080), Port(9)], false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Filter_rejects_nodes_where_a_wanted_host_port_is_taken(string name, ContainerPort[] wanted, ContainerPort[] used, bool fits)
    {
        var node = Objects.NodeInfo(Objects.Node("n"), WithPorts("existing", used));
        var pod = WithPorts("p", wanted);
        var plugin = new NodePortsPlugin();
        var state = new CycleState();
        var (result, preFilter) = plugin.PreFilter(state, pod, new Snapshot([node]));
        Assert.True(preFilter.IsSuccess);
        Assert.Null(result);

        var status = plugin.Filter(state, pod, node);

        Assert.True(fits == status.IsSuccess, name);
        if (!fits)
        {
            Assert.Equal(StatusCode.Unschedulable, status.Code);
            Assert.Equal("node(s) didn't have free ports for the requested pod ports", status.Message);
        }
    }

    [Fact]
    public void PreFilter_skips_pods_without_host_ports()
    {
        var pod = Objects.PodInfo(spec: s => s.Containers = [new Container { Name = "c", Ports = [new ContainerPort { ContainerPortValue = 80 }] }]);

        var (_, status) = new NodePortsPlugin().PreFilter(new CycleState(), pod, new Snapshot());

        Assert.True(status.IsSkip);
    }

    [Fact]
    public void Filter_without_PreFilter_state_is_an_error()
    {
        var status = new NodePortsPlugin().Filter(new CycleState(), WithPorts("p", Port(1)), Objects.NodeInfo(Objects.Node("n")));

        Assert.Equal(StatusCode.Error, status.Code);
    }
}
