using Korral.Scheduler.Framework;
using Korral.Scheduler.Plugins.NodeResourcesFit;

namespace Korral.Scheduler.Tests.Plugins.NodeResourcesFit;

public sealed class NodeResourcesFitFilterTests
{
    private static readonly (string, string)[] None = [];

    /// <summary>Node: 4 cpu, 8Gi, 20Gi ephemeral storage, 2 example.com/gpu, the given pod slots; existing pod requests.</summary>
    private static NodeInfo Node(string pods, (string, string)[] existing) =>
        Objects.NodeInfo(
            Objects.Node("n", allocatable: [("pods", pods), ("ephemeral-storage", "20Gi"), ("example.com/gpu", "2")]),
            existing.Length == 0 ? [] : [Objects.PodRequesting("existing", existing)]);

    public static TheoryData<string, string, (string, string)[], (string, string)[], StatusCode, string[]> Cases => new()
    {
        { "fits", "110", [("cpu", "1")], [("cpu", "1"), ("memory", "1Gi")], StatusCode.Success, [] },
        { "fits exactly", "110", [("cpu", "3")], [("cpu", "1")], StatusCode.Success, [] },
        { "cpu taken", "110", [("cpu", "3")], [("cpu", "2")], StatusCode.Unschedulable, ["Insufficient cpu"] },
        { "cpu beyond the whole node", "110", None, [("cpu", "5")], StatusCode.UnschedulableAndUnresolvable, ["Insufficient cpu"] },
        { "every shortage in order", "110", [("cpu", "3"), ("memory", "7Gi"), ("ephemeral-storage", "19Gi")], [("cpu", "2"), ("memory", "2Gi"), ("ephemeral-storage", "2Gi")], StatusCode.Unschedulable, ["Insufficient cpu", "Insufficient memory", "Insufficient ephemeral-storage"] },
        { "one unresolvable shortage makes it unresolvable", "110", [("cpu", "3")], [("cpu", "2"), ("memory", "9Gi")], StatusCode.UnschedulableAndUnresolvable, ["Insufficient cpu", "Insufficient memory"] },
        { "no pod slot", "1", [("cpu", "1")], [("cpu", "1")], StatusCode.Unschedulable, ["Too many pods"] },
        { "no pod slot for a pod requesting nothing", "1", [("cpu", "4")], None, StatusCode.Unschedulable, ["Too many pods"] },
        { "a pod requesting nothing fits a full node", "110", [("cpu", "4"), ("memory", "8Gi")], None, StatusCode.Success, [] },
        { "pods before resources", "1", [("cpu", "3")], [("cpu", "2")], StatusCode.Unschedulable, ["Too many pods", "Insufficient cpu"] },
        { "extended resource taken", "110", [("example.com/gpu", "1")], [("example.com/gpu", "2")], StatusCode.Unschedulable, ["Insufficient example.com/gpu"] },
        { "extended resource beyond the node", "110", None, [("example.com/gpu", "3")], StatusCode.UnschedulableAndUnresolvable, ["Insufficient example.com/gpu"] },
        { "extended resource the node lacks", "110", None, [("example.com/fpga", "1")], StatusCode.UnschedulableAndUnresolvable, ["Insufficient example.com/fpga"] },
        { "extended after the fixed reasons", "1", [("cpu", "4")], [("cpu", "1"), ("example.com/fpga", "1")], StatusCode.UnschedulableAndUnresolvable, ["Too many pods", "Insufficient cpu", "Insufficient example.com/fpga"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Filter_reports_every_shortage(string name, string podSlots, (string, string)[] existing, (string, string)[] requests, StatusCode code, string[] reasons)
    {
        var node = Node(podSlots, existing);
        var pod = Objects.PodRequesting("p", requests);
        var plugin = new NodeResourcesFitPlugin();
        var state = new CycleState();
        Assert.True(plugin.PreFilter(state, pod, new Snapshot([node])).Status.IsSuccess);

        var status = plugin.Filter(state, pod, node);

        Assert.True(code == status.Code, $"{name}: {status}");
        Assert.Equal(reasons, status.Reasons);
    }

    [Theory]
    [InlineData("example.com/fpga", null)]
    [InlineData(null, "example.com")]
    public void Ignored_extended_resources_are_not_checked(string? resource, string? group)
    {
        var plugin = new NodeResourcesFitPlugin(new NodeResourcesFitOptions
        {
            IgnoredResources = resource is null ? [] : [resource],
            IgnoredResourceGroups = group is null ? [] : [group],
        });
        var pod = Objects.PodRequesting("p", ("example.com/fpga", "1"));
        var state = new CycleState();
        plugin.PreFilter(state, pod, new Snapshot());

        Assert.True(plugin.Filter(state, pod, Node("110", None)).IsSuccess);
    }

    [Fact]
    public void Filter_without_PreFilter_state_is_an_error()
    {
        var status = new NodeResourcesFitPlugin().Filter(new CycleState(), Objects.PodInfo(), Node("110", None));

        Assert.Equal(StatusCode.Error, status.Code);
    }

    [Fact]
    public void Registers_for_freed_room_and_new_or_grown_nodes()
    {
        Assert.Equal(
            [
                new ClusterEvent(EventResource.AssignedPod, ActionType.Delete | ActionType.UpdatePodScaleDown),
                new ClusterEvent(EventResource.UnscheduledPod, ActionType.UpdatePodScaleDown),
                new ClusterEvent(EventResource.Node, ActionType.Add | ActionType.UpdateNodeAllocatable),
            ],
            new NodeResourcesFitPlugin().EventsToRegister());
    }
}
