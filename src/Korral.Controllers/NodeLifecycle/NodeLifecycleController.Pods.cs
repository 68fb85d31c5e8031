using Korral.Api.Models.CoreV1;
using Korral.Client;
using Korral.Client.Events;

namespace Korral.Controllers.NodeLifecycle;

/// <summary>Pod readiness on nodes that are not Ready (upstream's MarkPodsNotReady and processPod).</summary>
public sealed partial class NodeLifecycleController
{
    private void OnPodUpdated(Pod? old, Pod pod)
    {
        // Only a pod newly bound to a node matters here: pods already on a node are handled by that node's sync.
        if (pod.Spec?.NodeName is { Length: > 0 } nodeName && (old is null || old.Spec?.NodeName != nodeName))
        {
            PodQueue.Add(KubeObject.Key(pod));
        }
    }

    /// <summary>A pod bound to a node the controller knows to be not Ready is marked not Ready at once.</summary>
    public async Task SyncPodAsync(string key, CancellationToken cancellationToken)
    {
        var pod = _pods.Get(key);
        if (pod?.Spec?.NodeName is not { Length: > 0 } nodeName)
        {
            return;
        }

        var health = HealthOf(nodeName);
        if (health is null)
        {
            return; // Not synced yet (or deleted): the node's sync handles its pods.
        }

        if (_nodes.Get(null, nodeName) is null)
        {
            throw new InvalidOperationException($"node {nodeName} of pod {key} is not in the cache");
        }

        if (NodeConditions.Get(health.Status, NodeConditions.Ready) is { Status: not "True" })
        {
            await MarkPodsNotReadyAsync([pod], nodeName, cancellationToken);
        }
    }

    /// <summary>
    /// Sets the Ready condition of each pod of <paramref name="nodeName"/> to False (pods without one are left alone),
    /// with a Warning event NodeNotReady on each; throws after trying them all if any write failed.
    /// </summary>
    private async Task MarkPodsNotReadyAsync(IEnumerable<Pod> pods, string nodeName, CancellationToken cancellationToken)
    {
        var failures = new List<Exception>();
        foreach (var pod in pods)
        {
            if (pod.Spec?.NodeName != nodeName || pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready") is not { } ready || ready.Status == "False")
            {
                continue;
            }

            var copy = KubeObject.Clone(pod);
            var condition = copy.Status!.Conditions!.First(c => c.Type == "Ready");
            condition.Status = "False";
            condition.LastTransitionTime = _time.GetUtcNow();
            try
            {
                if (await _writer.UpdatePodStatusAsync(copy, cancellationToken) is null)
                {
                    continue; // Gone meanwhile: nothing left to do.
                }
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or TimeoutException)
            {
                _log($"{ControllerName}: marking pod {KubeObject.Key(pod)} not Ready failed: {e.Message}");
                failures.Add(e);
            }

            _events.Event(pod, EventTypes.Warning, "NodeNotReady", "Node is not ready");
        }

        if (failures.Count > 0)
        {
            throw new AggregateException($"marking {failures.Count} pod(s) of node {nodeName} not Ready failed", failures);
        }
    }
}
