using Korral.Scheduler.Framework;
using Korral.Scheduler.Plugins.NodeName;

namespace Korral.Scheduler.Tests.Plugins.NodeName;

public sealed class NodeNamePluginTests
{
    [Theory]
    [InlineData(null, "n1", StatusCode.Success)]
    [InlineData("", "n1", StatusCode.Success)]
    [InlineData("n1", "n1", StatusCode.Success)]
    [InlineData("n2", "n1", StatusCode.UnschedulableAndUnresolvable)]
    public void A_pod_naming_a_node_fits_only_that_node(string? nodeName, string node, StatusCode code)
    {
        var pod = Objects.PodInfo(spec: s => s.NodeName = nodeName);

        var status = new NodeNamePlugin().Filter(new CycleState(), pod, Objects.NodeInfo(Objects.Node(node)));

        Assert.Equal(code, status.Code);
        Assert.Equal(code == StatusCode.Success ? "" : "node(s) didn't match the requested node name", status.Message);
    }
}
