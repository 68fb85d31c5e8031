using Korral.Api.Models.CoreV1;
using Korral.Client;

namespace Korral.Controllers.NodeLifecycle;

/// <summary>Node health: heartbeats seen on the controller's clock, and conditions set to Unknown when they stop.</summary>
public sealed partial class NodeLifecycleController
{
    /// <summary>
    /// Upstream's tryUpdateNodeHealth. A heartbeat is a renewed Lease (a later renewTime) or a new lastHeartbeatTime on
    /// the Ready condition; each moves the probe timestamp to now. A node that never posted a Ready condition counts
    /// from its creation with the startup grace period. Past the grace period, Ready, MemoryPressure, DiskPressure and
    /// PIDPressure become Unknown (added as "never posted" when missing) and the status is written if Ready changed.
    /// </summary>
    private async Task<HealthCheck> TryUpdateNodeHealthAsync(Node node, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var name = node.Metadata!.Name!;
        var created = node.Metadata.CreationTimestamp ?? now;
        var currentReady = NodeConditions.ReadyOf(node);
        NodeHealth? health;
        lock (_lock)
        {
            health = _health.GetValueOrDefault(name);
        }

        NodeCondition observed;
        TimeSpan grace;
        if (currentReady is null)
        {
            // Never posted: judge it from its creation, with the longer startup grace period.
            observed = new NodeCondition { Type = NodeConditions.Ready, Status = "Unknown", LastHeartbeatTime = created, LastTransitionTime = created };
            grace = Options.NodeStartupGracePeriod;
            health = health is null ? new NodeHealth(created, created, node.Status) : health with { Status = node.Status };
        }
        else
        {
            observed = NodeConditions.Copy(currentReady);
            grace = Options.NodeMonitorGracePeriod;
        }

        var saved = NodeConditions.Get(health?.Status, NodeConditions.Ready);
        var (savedHasLease, savedRenewTime) = (health?.HasLease ?? false, health?.LeaseRenewTime);
        if (health is null || (saved is null && currentReady is not null))
        {
            // First sight (a new node, or a controller that just started leading): the grace period starts now.
            health = new NodeHealth(now, now, node.Status);
        }
        else if (saved is not null && currentReady is not null && saved.LastHeartbeatTime != currentReady.LastHeartbeatTime)
        {
            var transition = saved.LastTransitionTime != currentReady.LastTransitionTime ? now : health.ReadyTransitionTimestamp;
            health = new NodeHealth(now, transition, node.Status);
        }

        // A renewed Lease is a heartbeat too: a kubelet that renews its Lease but never posts status is left alone.
        var lease = _leases.Get(NodeLeaseNamespace, name);
        if (lease is not null && (!savedHasLease || (savedRenewTime is { } before && lease.Spec?.RenewTime is { } renewed && before < renewed)))
        {
            health = health with { ProbeTimestamp = now, HasLease = true, LeaseRenewTime = lease.Spec?.RenewTime };
        }

        SetHealth(name, health);
        var deadline = health.ProbeTimestamp + grace;
        if (now <= deadline)
        {
            return new HealthCheck(node, observed, currentReady, deadline, Expired: false);
        }

        var stale = KubeObject.Clone(node);
        stale.Status ??= new NodeStatus();
        var conditions = stale.Status.Conditions ??= [];
        foreach (var type in NodeConditions.KubeletOwned)
        {
            var condition = conditions.FirstOrDefault(c => c.Type == type);
            if (condition is null)
            {
                conditions.Add(new NodeCondition
                {
                    Type = type,
                    Status = "Unknown",
                    Reason = NodeConditions.NeverUpdatedReason,
                    Message = NodeConditions.NeverUpdatedMessage,
                    LastHeartbeatTime = created,
                    LastTransitionTime = now,
                });
            }
            else if (condition.Status != "Unknown")
            {
                condition.Status = "Unknown";
                condition.Reason = NodeConditions.StatusUnknownReason;
                condition.Message = NodeConditions.StatusUnknownMessage;
                condition.LastTransitionTime = now;
            }
        }

        var staleReady = NodeConditions.Get(stale.Status, NodeConditions.Ready);
        if (NodeConditions.Same(staleReady, observed))
        {
            return new HealthCheck(node, observed, currentReady, deadline, Expired: true);
        }

        _log($"{ControllerName}: node {name} has not renewed its lease or posted status for {(now - health.ProbeTimestamp).TotalSeconds:0.#} s: setting its conditions to Unknown");
        var written = await _writer.UpdateNodeStatusAsync(stale, cancellationToken);
        SetHealth(name, health with { Status = written.Status ?? stale.Status, ReadyTransitionTimestamp = now, HasLease = lease is not null, LeaseRenewTime = lease?.Spec?.RenewTime });
        return new HealthCheck(written, observed, NodeConditions.ReadyOf(written) ?? staleReady, deadline, Expired: true);
    }

    private void SetHealth(string name, NodeHealth health)
    {
        lock (_lock)
        {
            _health[name] = health;
        }
    }
}
