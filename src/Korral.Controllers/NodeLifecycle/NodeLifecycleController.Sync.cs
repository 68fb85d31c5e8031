using Korral.Api.Models.CoreV1;
using Korral.Client;
using Korral.Client.Events;
using Korral.Client.Informers;

namespace Korral.Controllers.NodeLifecycle;

/// <summary>One node's sync: health, pods, taints, labels, and the next deadline.</summary>
public sealed partial class NodeLifecycleController
{
    /// <summary>Stable labels whose deprecated beta twins the controller keeps equal (upstream's label reconciliation).</summary>
    private static readonly (string Stable, string Beta)[] BetaLabels =
    [
        ("kubernetes.io/os", "beta.kubernetes.io/os"),
        ("kubernetes.io/arch", "beta.kubernetes.io/arch"),
    ];

    /// <summary>
    /// Syncs node <paramref name="name"/>: updates its health (conditions to Unknown past the grace period), zone
    /// health, NoExecute taint queueing, pod readiness on a Ready → not Ready transition, the NoSchedule condition taints
    /// and the beta labels; then arms the node's next deadline. Throws to be retried.
    /// </summary>
    public async Task SyncNodeAsync(string name, CancellationToken cancellationToken)
    {
        var node = _nodes.Get(null, name);
        if (node is null)
        {
            await ForgetNodeAsync(name, cancellationToken);
            return;
        }

        await ObserveNodeAsync(node, cancellationToken);
        var health = await TryUpdateNodeHealthAsync(node, cancellationToken);
        var latest = health.Node;
        await RunDisruptionActionAsync(ObserveZone(name, latest, health.Current), cancellationToken);

        if (health.Current is { } current)
        {
            var transitioned = current.Status != "True" && health.Observed.Status == "True";
            bool needsRetry;
            lock (_lock)
            {
                if (transitioned)
                {
                    // Remembered before anything else can fail: a retry no longer sees the transition in the cache.
                    _needsRetry.Add(name);
                }

                needsRetry = _needsRetry.Contains(name);
            }

            if (transitioned)
            {
                RecordNodeEvent(latest, EventTypes.Normal, "NodeNotReady", $"Node {name} status is now: NodeNotReady");
            }

            await ProcessTaintBasedEvictionAsync(latest, health.Observed, cancellationToken);
            if (transitioned || (needsRetry && health.Observed.Status != "True"))
            {
                await MarkPodsNotReadyAsync(_pods.ByIndex(Indexers.NodeName, name), name, cancellationToken);
            }
        }

        lock (_lock)
        {
            _needsRetry.Remove(name);
        }

        await SyncNoScheduleTaintsAsync(latest, cancellationToken);
        await ReconcileLabelsAsync(latest, cancellationToken);
        if (!health.Expired)
        {
            Queue.AddAfter(name, health.Deadline - _time.GetUtcNow() + DeadlineSlack);
        }
    }

    /// <summary>The first sync of a node: an event, and its NoExecute taints from an earlier term are cleared (as upstream).</summary>
    private async Task ObserveNodeAsync(Node node, CancellationToken cancellationToken)
    {
        var name = node.Metadata!.Name!;
        bool added;
        lock (_lock)
        {
            added = _known.Add(name);
        }

        if (added)
        {
            RecordNodeEvent(node, EventTypes.Normal, "RegisteredNode", $"Node {name} event: Registered Node {name} in Controller");
            await MarkNodeAsReachableAsync(node, cancellationToken);
        }
    }

    private async Task ForgetNodeAsync(string name, CancellationToken cancellationToken)
    {
        bool known;
        lock (_lock)
        {
            known = _known.Remove(name);
            _health.Remove(name);
            _needsRetry.Remove(name);
            foreach (var tainter in _tainters.Values)
            {
                tainter.Remove(name);
            }
        }

        if (known)
        {
            _log($"{ControllerName}: node {name} was deleted");
            _events.Event(new ObjectReference { Kind = "Node", ApiVersion = "v1", Name = name }, EventTypes.Normal, "RemovingNode",
                $"Node {name} event: Removing Node {name} from Controller");
        }

        await RunDisruptionActionAsync(ObserveZone(name, null, null), cancellationToken);
    }

    /// <summary>Keeps the NoSchedule condition taints and the unschedulable taint in step with the node (upstream's doNoScheduleTaintingPass).</summary>
    private async Task SyncNoScheduleTaintsAsync(Node node, CancellationToken cancellationToken)
    {
        var desired = NodeTaints.DesiredNoSchedule(node);
        var existing = NodeTaints.OwnedNoSchedule(node);
        var add = NodeTaints.Minus(desired, existing);
        var remove = NodeTaints.Minus(existing, desired);
        if (add.Count == 0 && remove.Count == 0)
        {
            return;
        }

        var now = _time.GetUtcNow();
        foreach (var taint in add)
        {
            taint.TimeAdded = now;
        }

        await _writer.SwapTaintsAsync(node.Metadata!.Name!, add, remove, cancellationToken);
    }

    private async Task ReconcileLabelsAsync(Node node, CancellationToken cancellationToken)
    {
        var labels = node.Metadata?.Labels;
        if (labels is null)
        {
            return;
        }

        var update = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (stable, beta) in BetaLabels)
        {
            if (labels.TryGetValue(stable, out var value) && (!labels.TryGetValue(beta, out var current) || current != value))
            {
                update[beta] = value;
            }
        }

        if (update.Count > 0)
        {
            await _writer.PatchNodeLabelsAsync(node.Metadata!.Name!, update, cancellationToken);
        }
    }
}
