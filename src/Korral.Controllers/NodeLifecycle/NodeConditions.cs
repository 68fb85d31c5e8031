using Korral.Api.Models.CoreV1;

namespace Korral.Controllers.NodeLifecycle;

/// <summary>Node condition look-ups and the texts upstream writes when a kubelet goes silent.</summary>
public static class NodeConditions
{
    public const string Ready = "Ready";

    /// <summary>Reason of a condition the controller turned Unknown.</summary>
    public const string StatusUnknownReason = "NodeStatusUnknown";

    public const string StatusUnknownMessage = "Kubelet stopped posting node status.";

    /// <summary>Reason of a condition the kubelet never posted.</summary>
    public const string NeverUpdatedReason = "NodeStatusNeverUpdated";

    public const string NeverUpdatedMessage = "Kubelet never posted node status.";

    /// <summary>The conditions the controller sets to Unknown; NetworkUnavailable is left alone (the network plugin owns it).</summary>
    public static readonly IReadOnlyList<string> KubeletOwned = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"];

    public static NodeCondition? Get(NodeStatus? status, string type) => status?.Conditions?.FirstOrDefault(c => c.Type == type);

    public static NodeCondition? ReadyOf(Node? node) => Get(node?.Status, Ready);

    public static NodeCondition Copy(NodeCondition c) => new()
    {
        Type = c.Type,
        Status = c.Status,
        Reason = c.Reason,
        Message = c.Message,
        LastHeartbeatTime = c.LastHeartbeatTime,
        LastTransitionTime = c.LastTransitionTime,
    };

    /// <summary>Field by field (upstream's semantic equality of two conditions).</summary>
    public static bool Same(NodeCondition? a, NodeCondition? b) =>
        a is null || b is null
            ? a is null && b is null
            : a.Type == b.Type && a.Status == b.Status && a.Reason == b.Reason && a.Message == b.Message
              && a.LastHeartbeatTime == b.LastHeartbeatTime && a.LastTransitionTime == b.LastTransitionTime;
}
