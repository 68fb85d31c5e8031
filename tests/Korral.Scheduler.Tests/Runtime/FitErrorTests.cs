using Korral.Scheduler.Framework;
using Korral.Scheduler.Runtime;

namespace Korral.Scheduler.Tests.Runtime;

public sealed class FitErrorTests
{
    [Fact]
    public void The_message_is_a_sorted_histogram_of_node_reasons_then_the_preemption_message()
    {
        var diagnosis = new Diagnosis();
        diagnosis.NodeToStatus.Set("n1", Status.Unresolvable("node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"));
        diagnosis.NodeToStatus.Set("n2", Status.Unschedulable("Insufficient cpu"));
        diagnosis.NodeToStatus.Set("n3", Status.Unschedulable("Insufficient cpu", "Insufficient memory"));
        diagnosis.PostFilterMessage = "preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.";

        var message = new FitError("default/p", 3, diagnosis).Message;

        Assert.Equal("0/3 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
            + "2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
            message);
    }

    [Fact]
    public void A_prefilter_rejection_replaces_the_histogram()
    {
        var diagnosis = new Diagnosis { PreFilterMessage = "pod has unbound immediate PersistentVolumeClaims" };

        Assert.Equal("0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims.", new FitError("default/p", 2, diagnosis).Message);
    }

    [Fact]
    public void Nodes_a_prefilter_excluded_count_with_the_absent_status()
    {
        var diagnosis = new Diagnosis();
        diagnosis.NodeToStatus.AbsentNodesStatus = Status.Unresolvable("node(s) didn't satisfy plugin(s) [NodeAffinity]");
        diagnosis.NodeToStatus.Set("n1", Status.Unschedulable("Insufficient cpu"));

        Assert.Equal("0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity].", new FitError("default/p", 3, diagnosis).Message);
    }
}
