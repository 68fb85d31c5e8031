using System.Text.Json.Nodes;
using Korral.Api.Models.CoreV1;
using Korral.Client;
using Korral.Client.Events;
using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Scheduling;

public sealed partial class Scheduler
{
    /// <summary>
    /// A failed attempt: back to the queue (unschedulable, or backoff for errors), nominated node remembered, a
    /// FailedScheduling event, and the PodScheduled=False condition (and nominatedNodeName) written when they change.
    /// </summary>
    private void HandleFailure(QueuedPodInfo queued, long cycle, IEnumerable<string> unschedulablePlugins, bool error, string reason, string message,
        string? nominatedNode)
    {
        var pod = queued.Pod;
        queued.LastAttemptFailed = error;
        queued.UnschedulablePlugins.Clear();
        queued.UnschedulablePlugins.UnionWith(unschedulablePlugins);

        var current = _pods.Lister.Get(pod.Key);
        if (current is null || current.Metadata?.Uid != pod.Uid || Assigned(current) || current.Metadata?.DeletionTimestamp is not null)
        {
            // Deleted or bound by someone else meanwhile: nothing to retry or report.
            Queue.Done(pod.Uid);
            return;
        }

        if (nominatedNode == "")
        {
            Queue.Nominator.DeleteNominatedPodIfExists(pod.Uid);
        }
        else if (nominatedNode is not null)
        {
            Queue.Nominator.AddNominatedPod(pod, nominatedNode);
        }

        Queue.AddUnschedulableIfNotPresent(queued, cycle);
        Events.Event(current, EventTypes.Warning, "FailedScheduling", message);
        UpdatePodStatus(current, reason, message, nominatedNode);
    }

    private void FailAfterAssume(QueuedPodInfo queued, long cycle, Status status)
    {
        // Resources the assumed pod held are free again: pods waiting for room may fit now.
        Queue.OnClusterEvent(new ClusterEvent(EventResource.AssignedPod, ActionType.Delete));
        if (status.IsRejected)
        {
            Metrics.RecordUnschedulable();
            HandleFailure(queued, cycle, status.Plugin is null ? [] : [status.Plugin], error: false, "Unschedulable", status.Message, null);
        }
        else
        {
            Metrics.RecordError();
            HandleFailure(queued, cycle, [], error: true, "SchedulerError", status.Message, null);
        }
    }

    /// <summary>Patches status.conditions[PodScheduled] and nominatedNodeName unless they already say this.</summary>
    private void UpdatePodStatus(Pod pod, string reason, string message, string? nominatedNode)
    {
        var existing = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled");
        // null: leave the nomination as it is; "": clear it; a name: nominate that node.
        var nominationChanges = nominatedNode is not null && (pod.Status?.NominatedNodeName ?? "") != nominatedNode;
        if (existing is { Status: "False" } && existing.Reason == reason && existing.Message == message && !nominationChanges)
        {
            return;
        }

        var condition = new JsonObject
        {
            ["type"] = "PodScheduled",
            ["status"] = "False",
            ["reason"] = reason,
            ["message"] = message,
            ["lastProbeTime"] = null,
            ["lastTransitionTime"] = existing is { Status: "False" } && existing.LastTransitionTime is { } t
                ? t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'")
                : _options.Time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
        };
        var status = new JsonObject { ["conditions"] = new JsonArray(condition) };
        if (nominationChanges)
        {
            status["nominatedNodeName"] = nominatedNode == "" ? null : nominatedNode;
        }

        var patch = new JsonObject { ["status"] = status }.ToJsonString();
        var ns = pod.Metadata!.Namespace!;
        var name = pod.Metadata.Name!;
        _ = Task.Run(async () =>
        {
            try
            {
                await _client.Resource<Pod>().PatchStatusAsync(ns, name, PatchType.StrategicMerge, patch, CancellationToken.None).ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
                // The pod went away meanwhile.
            }
            catch (Exception e)
            {
                _options.Log($"scheduler: updating the PodScheduled condition of {ns}/{name} failed: {e.Message}");
            }
        });
    }
}
