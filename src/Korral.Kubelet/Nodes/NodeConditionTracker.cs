using Korral.Api.Models.CoreV1;

namespace Korral.Kubelet.Nodes;

/// <summary>
/// The node's four conditions with upstream's reasons and messages; a condition's lastTransitionTime moves only when its
/// status flips. Not thread-safe: the status loop owns it.
/// </summary>
public sealed class NodeConditionTracker
{
    private readonly Dictionary<string, (string Status, DateTimeOffset Since)> _current = new(StringComparer.Ordinal);

    /// <summary>The conditions for this heartbeat: memory, disk and PID pressure, then Ready.</summary>
    public List<NodeCondition> Conditions(NodeHealth health, DateTimeOffset now) =>
    [
        health.MemoryPressure
            ? Make("MemoryPressure", "True", "KubeletHasInsufficientMemory", "kubelet has insufficient memory available", now)
            : Make("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", now),
        health.DiskPressure
            ? Make("DiskPressure", "True", "KubeletHasDiskPressure", "kubelet has disk pressure", now)
            : Make("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", now),
        health.PidPressure
            ? Make("PIDPressure", "True", "KubeletHasInsufficientPID", "kubelet has insufficient PID available", now)
            : Make("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", now),
        health.NotReadyMessage is { } why
            ? Make("Ready", "False", "KubeletNotReady", why, now)
            : Make("Ready", "True", "KubeletReady", "kubelet is posting ready status", now),
    ];

    private NodeCondition Make(string type, string status, string reason, string message, DateTimeOffset now)
    {
        if (!_current.TryGetValue(type, out var previous) || previous.Status != status)
        {
            previous = (status, now);
            _current[type] = previous;
        }

        return new NodeCondition
        {
            Type = type,
            Status = status,
            Reason = reason,
            Message = message,
            LastHeartbeatTime = now,
            LastTransitionTime = previous.Since,
        };
    }
}
