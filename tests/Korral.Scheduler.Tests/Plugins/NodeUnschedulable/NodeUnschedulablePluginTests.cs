using Korral.Api.Models.CoreV1;
using Korral.Scheduler.Framework;
using Korral.Scheduler.Plugins.NodeUnschedulable;

namespace Korral.Scheduler.Tests.Plugins.NodeUnschedulable;

public sealed class NodeUnschedulablePluginTests
{
    public static TheoryData<bool, Toleration[], StatusCode> Cases => new()
    {
        { false, [], StatusCode.Success },
        { true, [], StatusCode.UnschedulableAndUnresolvable },
        { true, [Objects.Toleration("node.kubernetes.io/unschedulable", "Exists", null, "NoSchedule")], StatusCode.Success },
        { true, [Objects.Toleration("node.kubernetes.io/unschedulable", "Exists", null, null)], StatusCode.Success },
        { true, [Objects.Toleration(null, "Exists", null, null)], StatusCode.Success },
        { true, [Objects.Toleration("node.kubernetes.io/unschedulable", "Exists", null, "NoExecute")], StatusCode.UnschedulableAndUnresolvable },
        { true, [Objects.Toleration("other", "Exists", null, "NoSchedule")], StatusCode.UnschedulableAndUnresolvable },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Cordoned_nodes_take_only_pods_tolerating_the_unschedulable_taint(bool unschedulable, Toleration[] tolerations, StatusCode code)
    {
        var node = Objects.NodeInfo(Objects.Node("n", unschedulable: unschedulable));
        var pod = Objects.PodInfo(spec: s => s.Tolerations = tolerations);

        var status = new NodeUnschedulablePlugin().Filter(new CycleState(), pod, node);

        Assert.Equal(code, status.Code);
        Assert.Equal(code == StatusCode.Success ? "" : "node(s) were unschedulable", status.Message);
    }

    [Fact]
    public void Registers_for_nodes_added_or_retainted_and_toleration_changes()
    {
        Assert.Equal(
            [new ClusterEvent(EventResource.Node, ActionType.Add | ActionType.UpdateNodeTaint), new ClusterEvent(EventResource.UnscheduledPod, ActionType.UpdatePodTolerations)],
            new NodeUnschedulablePlugin().EventsToRegister());
    }
}
