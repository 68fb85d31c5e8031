using System.Text.Json.Nodes;
using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Client;
using Korral.Client.Events;
using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins.DefaultPreemption;

/// <summary>
/// Upstream's prepareCandidate: preempts every victim on the chosen node at once — a victim held at Permit is rejected,
/// any other gets a DisruptionTarget condition and is deleted, and each gets a "Preempted" event — then clears the
/// nomination of lower-priority pods nominated to that node (they may no longer fit; the update requeues them).
/// Victims already being deleted are left alone. The first failed call cancels the others and fails the preemption.
/// </summary>
internal static class CandidatePreparation
{
    private const string ClearNomination = """{"status":{"nominatedNodeName":null}}""";

    public static async Task<Status> RunAsync(IFrameworkHandle handle, string pluginName, Candidate candidate, PodInfo preemptor,
        CancellationToken cancellationToken)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        string? firstError = null;
        var preemptions = candidate.Victims
            .Where(v => v.Pod.Metadata?.DeletionTimestamp is null)
            .Select(async victim =>
            {
                try
                {
                    await PreemptAsync(handle, pluginName, candidate.NodeName, preemptor, victim, failed.Token);
                }
                catch (Exception e) when (e is KubeApiException or HttpRequestException or TimeoutException
                    || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    if (e is not OperationCanceledException && Interlocked.CompareExchange(ref firstError, e.Message, null) is null)
                    {
                        handle.Log($"preemption: could not preempt {victim.Key} for {preemptor.Key} on {candidate.NodeName}: {e.Message}");
                        await failed.CancelAsync();
                    }
                }
            });
        await Task.WhenAll(preemptions);
        cancellationToken.ThrowIfCancellationRequested();
        if (firstError is not null)
        {
            return Status.Error(firstError);
        }

        await ClearLowerPriorityNominationsAsync(handle, candidate.NodeName, preemptor, cancellationToken);
        return Status.Success;
    }

    private static async Task PreemptAsync(IFrameworkHandle handle, string pluginName, string nodeName, PodInfo preemptor, PodInfo victim,
        CancellationToken cancellationToken)
    {
        // A victim still waiting at Permit has not been bound: rejecting it frees its place without any API call.
        var rejected = handle.WaitingPods.WaitingPodUids.Contains(victim.Uid) && handle.WaitingPods.Reject(victim.Uid, pluginName, "preempted");
        if (!rejected)
        {
            var pods = handle.Client.Resource<Pod>();
            if (DisruptionTargetPatch(handle, preemptor, victim) is { } patch)
            {
                try
                {
                    await pods.PatchStatusAsync(victim.Namespace, victim.Name, PatchType.StrategicMerge, patch, cancellationToken);
                }
                catch (KubeApiException e) when (e.IsNotFound)
                {
                    return;
                }
            }

            try
            {
                await pods.DeleteAsync(victim.Namespace, victim.Name, cancellationToken);
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
                return;
            }
        }

        handle.Events.Event(victim.Pod, EventTypes.Normal, "Preempted", $"Preempted by pod {preemptor.Uid} on node {nodeName}");
    }

    /// <summary>
    /// The status patch that marks the victim as disrupted by preemption (what the eligibility check and
    /// <c>kubectl describe</c> read), or null when the victim already carries that exact condition.
    /// </summary>
    private static string? DisruptionTargetPatch(IFrameworkHandle handle, PodInfo preemptor, PodInfo victim)
    {
        var schedulerName = string.IsNullOrEmpty(preemptor.Pod.Spec?.SchedulerName) ? handle.SchedulerName : preemptor.Pod.Spec.SchedulerName;
        var message = $"{schedulerName}: preempting to accommodate a higher priority pod";
        var existing = victim.Pod.Status?.Conditions?.FirstOrDefault(c => c.Type == PreemptionEligibility.DisruptionTarget);
        if (existing is { Status: "True", Reason: PreemptionEligibility.PreemptionByScheduler } && existing.Message == message)
        {
            return null;
        }

        var condition = new PodCondition
        {
            Type = PreemptionEligibility.DisruptionTarget,
            Status = "True",
            Reason = PreemptionEligibility.PreemptionByScheduler,
            Message = message,

            // The transition time moves only when the status does.
            LastTransitionTime = existing?.Status == "True" ? existing.LastTransitionTime : handle.Time.GetUtcNow(),
        };
        var patch = new JsonObject { ["status"] = new JsonObject { ["conditions"] = new JsonArray(KubeJson.ToNode(condition)) } };
        return patch.ToJsonString();
    }

    /// <summary>
    /// Clears <c>status.nominatedNodeName</c> of lower-priority pods nominated to the node. Failures are logged, not
    /// returned: the preemption itself has happened. The patch is sent even when the nominator's copy of the pod shows no
    /// nomination yet (the status write may not have come back through the informer).
    /// </summary>
    private static async Task ClearLowerPriorityNominationsAsync(IFrameworkHandle handle, string nodeName, PodInfo preemptor, CancellationToken cancellationToken)
    {
        foreach (var pod in handle.Nominator.NominatedPodsForNode(nodeName))
        {
            if (pod.Priority >= preemptor.Priority)
            {
                continue;
            }

            try
            {
                await handle.Client.Resource<Pod>().PatchStatusAsync(pod.Namespace, pod.Name, PatchType.StrategicMerge, ClearNomination, cancellationToken);
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or TimeoutException)
            {
                handle.Log($"preemption: cannot clear the nominated node of {pod.Key}: {e.Message}");
            }
        }
    }
}
