using Korral.Api.Models.AppsV1;
using Korral.Api.Models.CoreV1;
using Korral.Client;
using Korral.Client.Events;
using Korral.Controllers.Common;
using RS = Korral.Api.Models.AppsV1.ReplicaSet;
using Selector = Korral.Api.Selectors.LabelSelector;

namespace Korral.Controllers.ReplicaSets;

/// <summary>The reconcile of one ReplicaSet: claim pods, create or delete, write status.</summary>
public sealed partial class ReplicaSetController
{
    public async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var rs = _replicaSets.Get(key);
        if (rs?.Metadata is null)
        {
            Expectations.Delete(key);
            return;
        }

        if (!Selector.TryFromLabelSelector(rs.Spec?.Selector, out var selector, out var error))
        {
            _log($"replicaset {key}: invalid selector: {error}");
            return;
        }

        var needsSync = Expectations.Satisfied(key) && rs.Metadata.DeletionTimestamp is null;
        var ns = rs.Metadata.Namespace ?? "";
        var candidates = new Dictionary<string, Pod>();
        foreach (var p in _pods.List(ns, selector).Concat(_pods.ByIndex(Korral.Client.Informers.Indexers.OwnerUid, rs.Metadata.Uid ?? "")))
        {
            if (PodUtil.IsActive(p) && p.Metadata?.Namespace == ns)
            {
                candidates[KubeObject.Key(p)] = p;
            }
        }

        var controllerRef = OwnerRefs.NewControllerRef(rs.Metadata, RS.KubeApiVersion, RS.KubeKind);
        var claimer = new ControllerRefManager<Pod>(rs.Metadata, controllerRef, selector, p => p.Metadata,
            async ct =>
            {
                var fresh = await _getFresh(ns, rs.Metadata.Name ?? "", ct);
                if (fresh?.Metadata?.Uid != rs.Metadata.Uid || fresh?.Metadata?.DeletionTimestamp is not null)
                {
                    throw new InvalidOperationException($"replicaset {key} is gone or being deleted: not adopting pods");
                }
            },
            (p, patch, ct) => _podControl.PatchPodAsync(ns, p.Metadata?.Name ?? "", patch, ct));
        var pods = await claimer.ClaimAsync(candidates.Values, cancellationToken);

        Exception? manageError = null;
        var diff = 0;
        if (needsSync)
        {
            diff = pods.Count - (rs.Spec?.Replicas ?? 1);
            try
            {
                await ManageReplicasAsync(key, rs, pods, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                manageError = e;
            }
        }

        var status = CalculateStatus(rs, pods, manageError, diff);
        var updated = await UpdateStatusAsync(rs, status, cancellationToken);
        var replicas = rs.Spec?.Replicas ?? 1;
        var minReady = rs.Spec?.MinReadySeconds ?? 0;
        if (manageError is null && minReady > 0 && updated.ReadyReplicas == replicas && updated.AvailableReplicas != replicas)
        {
            Queue.AddAfter(key, TimeSpan.FromSeconds(minReady));
        }

        if (manageError is not null)
        {
            throw manageError;
        }
    }

    private async Task ManageReplicasAsync(string key, RS rs, List<Pod> pods, CancellationToken cancellationToken)
    {
        var ns = rs.Metadata!.Namespace ?? "";
        var diff = pods.Count - (rs.Spec?.Replicas ?? 1);
        if (diff < 0)
        {
            var count = Math.Min(-diff, BurstReplicas);
            Expectations.ExpectCreations(key, count);
            var template = rs.Spec?.Template ?? new PodTemplateSpec();
            var controllerRef = OwnerRefs.NewControllerRef(rs.Metadata, RS.KubeApiVersion, RS.KubeKind);
            var prefix = PodTemplates.GenerateNamePrefix(rs.Metadata.Name ?? "");
            var (created, error) = await SlowStart.BatchAsync(count, 1, async () =>
            {
                try
                {
                    var pod = await _podControl.CreatePodAsync(ns, template, prefix, controllerRef, cancellationToken);
                    _events.Event(rs, EventTypes.Normal, "SuccessfulCreate", $"Created pod: {pod.Metadata?.Name}");
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _events.Event(rs, EventTypes.Warning, "FailedCreate", $"Error creating: {Message(e)}");
                    throw;
                }
            });
            for (var i = created; i < count; i++)
            {
                Expectations.CreationObserved(key); // never coming
            }

            if (error is not null)
            {
                throw error;
            }

            return;
        }

        if (diff > 0)
        {
            var count = Math.Min(diff, BurstReplicas);
            var victims = PodsToDelete(rs, pods, count);
            Expectations.ExpectDeletions(key, victims.Select(KubeObject.Key));
            var errors = await Task.WhenAll(victims.Select(async pod =>
            {
                try
                {
                    await _podControl.DeletePodAsync(ns, pod.Metadata?.Name ?? "", cancellationToken);
                    _events.Event(rs, EventTypes.Normal, "SuccessfulDelete", $"Deleted pod: {pod.Metadata?.Name}");
                    return null;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Expectations.DeletionObserved(key, KubeObject.Key(pod));
                    if (e is KubeApiException { IsNotFound: true })
                    {
                        return null;
                    }

                    _events.Event(rs, EventTypes.Warning, "FailedDelete", $"Error deleting: {Message(e)}");
                    return e;
                }
            }));
            if (errors.FirstOrDefault(e => e is not null) is { } first)
            {
                throw first;
            }
        }
    }

    /// <summary>The <paramref name="count"/> pods to delete first, ranked among the pods of sibling ReplicaSets (same owner).</summary>
    private List<Pod> PodsToDelete(RS rs, List<Pod> pods, int count)
    {
        if (count >= pods.Count)
        {
            return pods;
        }

        var related = new List<Pod>(pods);
        if (OwnerRefs.ControllerOf(rs.Metadata) is { } owner)
        {
            foreach (var sibling in _replicaSets.List(rs.Metadata?.Namespace ?? ""))
            {
                if (sibling.Metadata?.Uid != rs.Metadata?.Uid && OwnerRefs.ControllerOf(sibling.Metadata)?.Uid == owner.Uid)
                {
                    related.AddRange(_pods.ByIndex(Korral.Client.Informers.Indexers.OwnerUid, sibling.Metadata?.Uid ?? "").Where(PodUtil.IsActive));
                }
            }
        }

        var ranking = new ActivePodsRanking(ActivePodsRanking.RankByRelatedPodsOnSameNode(pods, related), _time.GetUtcNow());
        return [.. pods.Order(ranking).Take(count)];
    }

    private ReplicaSetStatus CalculateStatus(RS rs, List<Pod> pods, Exception? manageError, int diff)
    {
        var templateLabels = Selector.FromSet(rs.Spec?.Template?.Metadata?.Labels?.AsReadOnly());
        var now = _time.GetUtcNow();
        var minReady = rs.Spec?.MinReadySeconds ?? 0;
        var status = new ReplicaSetStatus
        {
            Replicas = pods.Count,
            FullyLabeledReplicas = pods.Count(p => templateLabels.Matches(p.Metadata?.Labels?.AsReadOnly())),
            ReadyReplicas = pods.Count(PodUtil.IsReady),
            AvailableReplicas = pods.Count(p => PodUtil.IsAvailable(p, minReady, now)),
            ObservedGeneration = rs.Status?.ObservedGeneration,
            Conditions = rs.Status?.Conditions is { } c ? [.. c] : null,
        };
        var failure = status.Conditions?.FirstOrDefault(c => c.Type == "ReplicaFailure");
        if (manageError is not null && failure is null)
        {
            status.Conditions ??= [];
            status.Conditions.Add(new ReplicaSetCondition
            {
                Type = "ReplicaFailure",
                Status = "True",
                Reason = diff < 0 ? "FailedCreate" : "FailedDelete",
                Message = Message(manageError),
                LastTransitionTime = now,
            });
        }
        else if (manageError is null && failure is not null)
        {
            status.Conditions!.Remove(failure);
        }

        if (status.Conditions is { Count: 0 })
        {
            status.Conditions = null;
        }

        return status;
    }

    private async Task<ReplicaSetStatus> UpdateStatusAsync(RS rs, ReplicaSetStatus status, CancellationToken cancellationToken)
    {
        var old = rs.Status ?? new ReplicaSetStatus();
        var generation = rs.Metadata?.Generation;
        if ((old.Replicas ?? 0) == status.Replicas && (old.FullyLabeledReplicas ?? 0) == status.FullyLabeledReplicas
            && (old.ReadyReplicas ?? 0) == status.ReadyReplicas && (old.AvailableReplicas ?? 0) == status.AvailableReplicas
            && old.ObservedGeneration == generation && SameConditions(old.Conditions, status.Conditions))
        {
            return old;
        }

        status.ObservedGeneration = generation;
        var copy = KubeObject.Clone(rs);
        copy.Status = status;
        await _updateStatus(copy, cancellationToken);
        return status;
    }

    private static bool SameConditions(IList<ReplicaSetCondition>? a, IList<ReplicaSetCondition>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0)
        && (a is null || b is null || a.Zip(b).All(p => p.First.Type == p.Second.Type && p.First.Status == p.Second.Status && p.First.Reason == p.Second.Reason));

    private static string Message(Exception e) => e is KubeApiException k ? k.Status?.Message ?? k.Message : e.Message;
}
