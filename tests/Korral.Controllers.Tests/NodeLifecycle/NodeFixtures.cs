using Korral.Api.Models.CoordinationV1;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;

namespace Korral.Controllers.Tests.NodeLifecycle;

/// <summary>Nodes, leases and pods as kubelets and the API would have them, for the node lifecycle unit tests.</summary>
public static class NodeFixtures
{
    /// <summary>A node whose kubelet posted Ready = <paramref name="ready"/> (null: never posted anything) and no pressure.</summary>
    public static Node NewNode(string name, DateTimeOffset created, DateTimeOffset heartbeat, string? ready = "True", string? zone = null,
        bool unschedulable = false, IEnumerable<Taint>? taints = null, params (string Type, string Status)[] conditions)
    {
        var list = new List<NodeCondition>();
        if (ready is not null)
        {
            list.Add(Condition("MemoryPressure", "False", heartbeat));
            list.Add(Condition("DiskPressure", "False", heartbeat));
            list.Add(Condition("PIDPressure", "False", heartbeat));
            list.Add(Condition("Ready", ready, heartbeat));
        }

        foreach (var (type, status) in conditions)
        {
            list.RemoveAll(c => c.Type == type);
            list.Add(Condition(type, status, heartbeat));
        }

        return new Node
        {
            Metadata = new ObjectMeta
            {
                Name = name,
                Uid = $"uid-{name}",
                ResourceVersion = "1",
                CreationTimestamp = created,
                Labels = zone is null ? null : new Dictionary<string, string> { ["topology.kubernetes.io/zone"] = zone },
            },
            Spec = new NodeSpec { Unschedulable = unschedulable ? true : null, Taints = taints?.ToList() },
            Status = new NodeStatus { Conditions = list },
        };
    }

    public static NodeCondition Condition(string type, string status, DateTimeOffset heartbeat) =>
        new() { Type = type, Status = status, Reason = $"Kubelet{type}{status}", Message = "posted by the kubelet", LastHeartbeatTime = heartbeat, LastTransitionTime = heartbeat };

    public static Lease NewLease(string node, DateTimeOffset renewed, int version) => new()
    {
        Metadata = new ObjectMeta { Name = node, Namespace = "kube-node-lease", ResourceVersion = $"{version}" },
        Spec = new LeaseSpec { HolderIdentity = node, LeaseDurationSeconds = 40, RenewTime = renewed },
    };

    public static Pod NewPod(string name, string? node, bool ready = true, params Toleration[] tolerations) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = "ns", Uid = $"uid-{name}", ResourceVersion = "1" },
        Spec = new PodSpec { NodeName = node, Tolerations = tolerations.Length > 0 ? tolerations.ToList() : null },
        Status = new PodStatus
        {
            Phase = "Running",
            Conditions =
            [
                new PodCondition { Type = "Ready", Status = ready ? "True" : "False" },
                new PodCondition { Type = "PodScheduled", Status = "True" },
            ],
        },
    };

    public static Taint NewTaint(string key, string effect, DateTimeOffset? added = null) => new() { Key = key, Effect = effect, TimeAdded = added };

    public static Toleration Tolerate(string key, long? seconds, string effect = "NoExecute") =>
        new() { Key = key, Operator = "Exists", Effect = effect, TolerationSeconds = seconds };
}
