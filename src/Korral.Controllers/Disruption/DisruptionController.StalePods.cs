using Korral.Api.Models.CoreV1;
using Korral.Client;

namespace Korral.Controllers.Disruption;

/// <summary>
/// DisruptionTarget conditions that announced a deletion which never started (the eviction's delete failed after the
/// condition was written): after <see cref="StalePodDisruptionTimeout"/> the condition is set to False.
/// </summary>
public sealed partial class DisruptionController
{
    private const string DisruptionTarget = "DisruptionTarget";

    /// <summary>The kubelet's own reason: its condition may stand long before the pod terminates, so it never goes stale.</summary>
    private const string TerminationByKubelet = "TerminationByKubelet";

    /// <summary>Whether the pod carries a DisruptionTarget=True condition without being deleted, and how long until it is stale.</summary>
    internal (bool Has, TimeSpan CleanAfter) StaleDisruption(Pod pod)
    {
        if (pod.Metadata?.DeletionTimestamp is not null)
        {
            return (false, TimeSpan.Zero);
        }

        var condition = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == DisruptionTarget);
        if (condition is null || condition.Status != "True" || condition.Reason == TerminationByKubelet || pod.Status?.Phase is "Succeeded" or "Failed")
        {
            return (false, TimeSpan.Zero);
        }

        var wait = StalePodDisruptionTimeout - (_time.GetUtcNow() - (condition.LastTransitionTime ?? DateTimeOffset.MinValue));
        return (true, wait < TimeSpan.Zero ? TimeSpan.Zero : wait);
    }

    private void EnqueueIfStaleDisruption(Pod pod)
    {
        if (StaleDisruption(pod) is (true, var after))
        {
            StalePodQueue.AddAfter(KubeObject.Key(pod), after);
        }
    }

    public async Task SyncStalePodAsync(string key, CancellationToken cancellationToken)
    {
        if (_pods.Get(key) is not { } pod)
        {
            return;
        }

        var (has, after) = StaleDisruption(pod);
        if (!has)
        {
            return;
        }

        if (after > TimeSpan.Zero)
        {
            StalePodQueue.AddAfter(key, after);
            return;
        }

        var updated = KubeObject.Clone(pod);
        var condition = updated.Status!.Conditions!.First(c => c.Type == DisruptionTarget);
        condition.Status = "False";
        condition.Reason = null;
        condition.Message = null;
        condition.LastTransitionTime = _time.GetUtcNow();
        await _writer.UpdatePodStatusAsync(updated, cancellationToken);
        _log($"disruption: reset stale DisruptionTarget condition of pod {key} to False");
    }
}
