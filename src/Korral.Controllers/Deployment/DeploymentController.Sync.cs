using System.Globalization;
using System.Text.Json;
using Korral.Api.Models.AppsV1;
using Korral.Client;
using Korral.Client.Events;
using Korral.Controllers.Common;
using static Korral.Controllers.Deployments.DeploymentUtil;
using D = Korral.Api.Models.AppsV1.Deployment;
using RS = Korral.Api.Models.AppsV1.ReplicaSet;
using Selector = Korral.Api.Selectors.LabelSelector;

namespace Korral.Controllers.Deployments;

/// <summary>The reconcile of one Deployment: claim ReplicaSets, then pause/scale/rollout, then status.</summary>
public sealed partial class DeploymentController
{
    public async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var cached = _deployments.Get(key);
        if (cached?.Metadata is null)
        {
            return;
        }

        var d = KubeObject.Clone(cached);
        d.Spec ??= new DeploymentSpec();
        d.Status ??= new DeploymentStatus();
        if (!Selector.TryFromLabelSelector(d.Spec.Selector, out var selector, out var error))
        {
            _log($"deployment {key}: invalid selector: {error}");
            return;
        }

        if (selector.Empty)
        {
            _events.Event(d, EventTypes.Warning, "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.");
            if ((d.Status.ObservedGeneration ?? 0) < (d.Metadata!.Generation ?? 0))
            {
                d.Status.ObservedGeneration = d.Metadata.Generation;
                await _writer.UpdateDeploymentStatusAsync(d, cancellationToken);
            }

            return;
        }

        var run = new Run(this, d, await ClaimReplicaSetsAsync(d, selector, cancellationToken), cancellationToken);
        await run.ExecuteAsync();
    }

    private async Task<List<RS>> ClaimReplicaSetsAsync(D d, Selector selector, CancellationToken cancellationToken)
    {
        var ns = d.Metadata!.Namespace ?? "";
        var candidates = _replicaSets.List(ns).Where(rs => selector.Matches(rs.Metadata?.Labels?.AsReadOnly()) || IsControlledBy(rs, d));
        var manager = new ControllerRefManager<RS>(d.Metadata, OwnerRefs.NewControllerRef(d.Metadata, D.KubeApiVersion, D.KubeKind), selector, rs => rs.Metadata,
            async ct =>
            {
                var fresh = await _writer.GetDeploymentAsync(ns, d.Metadata.Name ?? "", ct);
                if (fresh?.Metadata?.Uid != d.Metadata.Uid || fresh?.Metadata?.DeletionTimestamp is not null)
                {
                    throw new InvalidOperationException($"deployment {ns}/{d.Metadata.Name} is gone or being deleted: not adopting replica sets");
                }
            },
            (rs, patch, ct) => _writer.PatchReplicaSetAsync(ns, rs.Metadata?.Name ?? "", patch, ct));
        return await manager.ClaimAsync(candidates, cancellationToken);
    }

    /// <summary>One sync of one Deployment; <see cref="_d"/> is a private copy updated with every write's answer.</summary>
    private sealed partial class Run(DeploymentController c, D d, List<RS> rsList, CancellationToken ct)
    {
        private D _d = d;
        private List<RS> _rsList = rsList;

        private DateTimeOffset Now => c._time.GetUtcNow();

        public async Task ExecuteAsync()
        {
            if (_d.Metadata!.DeletionTimestamp is not null)
            {
                var (newRS, oldRSs) = await GetAllReplicaSetsAndSyncRevisionAsync(create: false);
                await SyncStatusAsync([.. oldRSs, .. Opt(newRS)], newRS);
                return;
            }

            await CheckPausedConditionsAsync();
            if (_d.Spec!.Paused == true || await IsScalingEventAsync())
            {
                await SyncScaleAsync();
                return;
            }

            if (_d.Spec.Strategy?.Type == "Recreate")
            {
                await RolloutRecreateAsync();
            }
            else
            {
                await RolloutRollingAsync();
            }
        }

        private static IEnumerable<RS> Opt(RS? rs) => rs is null ? [] : [rs];

        private async Task CheckPausedConditionsAsync()
        {
            if (!HasProgressDeadline(_d))
            {
                return;
            }

            var cond = GetCondition(_d.Status, Progressing);
            if (cond?.Reason == TimedOutReason)
            {
                return;
            }

            var pausedCondExists = cond?.Reason == PausedReason;
            DeploymentCondition? next = null;
            if (_d.Spec!.Paused == true && !pausedCondExists)
            {
                next = NewCondition(Progressing, "Unknown", PausedReason, "Deployment is paused", Now);
            }
            else if (_d.Spec.Paused != true && pausedCondExists)
            {
                next = NewCondition(Progressing, "Unknown", ResumedReason, "Deployment is resumed", Now);
            }

            if (next is not null)
            {
                SetCondition(_d.Status!, next);
                await UpdateStatusAsync();
            }
        }

        private async Task<bool> IsScalingEventAsync()
        {
            var (newRS, oldRSs) = await GetAllReplicaSetsAndSyncRevisionAsync(create: false);
            foreach (var rs in Active([.. oldRSs, .. Opt(newRS)]))
            {
                if (rs.Metadata?.Annotations?.TryGetValue(DesiredReplicasAnnotation, out var s) == true
                    && int.TryParse(s, CultureInfo.InvariantCulture, out var desired) && desired != Replicas(_d))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Paused or resized: scale proportionally, trim history when paused, write status.</summary>
        private async Task SyncScaleAsync()
        {
            var (newRS, oldRSs) = await GetAllReplicaSetsAndSyncRevisionAsync(create: false);
            (newRS, oldRSs) = await ScaleAsync(newRS, oldRSs);
            if (_d.Spec!.Paused == true)
            {
                await CleanupAsync(oldRSs);
            }

            await SyncStatusAsync([.. oldRSs, .. Opt(newRS)], newRS);
        }

        private async Task SyncStatusAsync(List<RS> all, RS? newRS)
        {
            var status = CalculateStatus(all, newRS, _d, Now);
            if (StatusEqual(_d.Status, status))
            {
                return;
            }

            _d.Status = status;
            await UpdateStatusAsync();
        }

        private async Task UpdateStatusAsync() => _d = await c._writer.UpdateDeploymentStatusAsync(_d, ct);

        private async Task<(RS? New, List<RS> Old)> GetAllReplicaSetsAndSyncRevisionAsync(bool create)
        {
            var existingNew = FindNewReplicaSet(_d, _rsList);
            var old = _rsList.Where(rs => !ReferenceEquals(rs, existingNew)).ToList();
            var newRS = await GetNewReplicaSetAsync(existingNew, old, create);
            return (newRS, old);
        }

        private async Task<RS?> GetNewReplicaSetAsync(RS? existing, List<RS> oldRSs, bool create)
        {
            var newRevision = (MaxRevision(oldRSs) + 1).ToString(CultureInfo.InvariantCulture);
            if (existing is not null)
            {
                var copy = KubeObject.Clone(existing);
                var annotationsUpdated = SetNewReplicaSetAnnotations(_d, copy, newRevision, exists: true);
                if (annotationsUpdated || copy.Spec!.MinReadySeconds != _d.Spec!.MinReadySeconds)
                {
                    copy.Spec!.MinReadySeconds = _d.Spec!.MinReadySeconds;
                    var updated = await c._writer.UpdateReplicaSetAsync(copy, ct);
                    Replace(existing, updated);
                    return updated;
                }

                var needsUpdate = await SetDeploymentRevisionAsync(copy.Metadata!.Annotations![RevisionAnnotation]);
                if (HasProgressDeadline(_d) && GetCondition(_d.Status, Progressing) is null)
                {
                    SetCondition(_d.Status!, NewCondition(Progressing, "True", FoundNewRSReason, $"Found new replica set \"{copy.Metadata.Name}\"", Now));
                    needsUpdate = true;
                }

                if (needsUpdate)
                {
                    await UpdateStatusAsync();
                }

                return existing;
            }

            if (!create)
            {
                return null;
            }

            var template = KubeObject.Clone(_d.Spec!.Template ?? new Api.Models.CoreV1.PodTemplateSpec());
            var hash = PodTemplateHash.Compute(template, _d.Status!.CollisionCount);
            template.Metadata ??= new Api.Models.MetaV1.ObjectMeta();
            template.Metadata.Labels = new Dictionary<string, string>(template.Metadata.Labels ?? new Dictionary<string, string>()) { [PodTemplateHashLabel] = hash };
            var selector = KubeObject.Clone(_d.Spec.Selector ?? new Api.Models.MetaV1.LabelSelector());
            selector.MatchLabels = new Dictionary<string, string>(selector.MatchLabels ?? new Dictionary<string, string>()) { [PodTemplateHashLabel] = hash };
            var rs = new RS
            {
                Metadata = new Api.Models.MetaV1.ObjectMeta
                {
                    Name = $"{_d.Metadata!.Name}-{hash}",
                    Namespace = _d.Metadata.Namespace,
                    OwnerReferences = [OwnerRefs.NewControllerRef(_d.Metadata, D.KubeApiVersion, D.KubeKind)],
                    Labels = new Dictionary<string, string>(template.Metadata.Labels),
                },
                Spec = new ReplicaSetSpec { Replicas = 0, MinReadySeconds = _d.Spec.MinReadySeconds, Selector = selector, Template = template },
            };
            var newReplicas = NewRSNewReplicas(_d, [.. oldRSs, rs], rs);
            rs.Spec.Replicas = newReplicas;
            SetNewReplicaSetAnnotations(_d, rs, newRevision, exists: false);
            RS created;
            var alreadyExists = false;
            try
            {
                created = await c._writer.CreateReplicaSetAsync(rs, ct);
            }
            catch (KubeApiException e) when (e.IsAlreadyExists)
            {
                var found = c._replicaSets.Get(rs.Metadata.Namespace, rs.Metadata.Name);
                if (found is not null && IsControlledBy(found, _d) && EqualIgnoreHash(found.Spec?.Template, _d.Spec.Template))
                {
                    created = found;
                    alreadyExists = true;
                }
                else
                {
                    // A hash collision: count it so that the next hash differs.
                    _d.Status.CollisionCount = (_d.Status.CollisionCount ?? 0) + 1;
                    await UpdateStatusAsync();
                    throw;
                }
            }
            catch (KubeApiException e) when (!e.IsForbidden)
            {
                var msg = $"Failed to create new replica set \"{rs.Metadata.Name}\": {e.Status?.Message ?? e.Message}";
                if (HasProgressDeadline(_d))
                {
                    SetCondition(_d.Status, NewCondition(Progressing, "False", FailedRSCreateReason, msg, Now));
                    await UpdateStatusAsync();
                }

                c._events.Event(_d, EventTypes.Warning, FailedRSCreateReason, msg);
                throw;
            }

            if (!alreadyExists && newReplicas > 0)
            {
                c._events.Event(_d, EventTypes.Normal, "ScalingReplicaSet", $"Scaled up replica set {created.Metadata?.Name} from 0 to {newReplicas}");
            }

            var statusNeedsUpdate = await SetDeploymentRevisionAsync(newRevision);
            if (!alreadyExists && HasProgressDeadline(_d))
            {
                SetCondition(_d.Status!, NewCondition(Progressing, "True", NewRSReason, $"Created new replica set \"{created.Metadata?.Name}\"", Now));
                statusNeedsUpdate = true;
            }

            if (statusNeedsUpdate)
            {
                await UpdateStatusAsync();
            }

            _rsList.Add(created);
            return created;
        }

        /// <summary>
        /// Writes the revision annotation through the status subresource, as upstream does: for the apps workloads
        /// that subresource carries annotations, so recording a revision does not bump the generation.
        /// </summary>
        private async Task<bool> SetDeploymentRevisionAsync(string revision)
        {
            if (_d.Metadata!.Annotations?.TryGetValue(RevisionAnnotation, out var cur) == true && cur == revision)
            {
                return false;
            }

            var patch = "{\"metadata\":{\"annotations\":" + JsonSerializer.Serialize(new Dictionary<string, string> { [RevisionAnnotation] = revision }) + "}}";
            var stored = await c._writer.PatchDeploymentAnnotationsAsync(_d.Metadata.Namespace ?? "", _d.Metadata.Name ?? "", patch, ct);
            var status = _d.Status;
            _d = KubeObject.Clone(stored);
            _d.Spec ??= new DeploymentSpec();
            _d.Status = status;
            return true;
        }

        private void Replace(RS old, RS updated)
        {
            var i = _rsList.FindIndex(rs => ReferenceEquals(rs, old) || rs.Metadata?.Uid == old.Metadata?.Uid);
            if (i >= 0)
            {
                _rsList[i] = updated;
            }
        }

        /// <summary>Scales <paramref name="rs"/> (and its replica annotations); the event when the size changed.</summary>
        private async Task<(bool Scaled, RS Rs)> ScaleReplicaSetAsync(RS rs, int newScale, string? operation = null)
        {
            var sizeChanged = Replicas(rs) != newScale;
            var max = Replicas(_d) + MaxSurge(_d);
            if (!sizeChanged && !ReplicasAnnotationsNeedUpdate(rs, Replicas(_d), max))
            {
                return (false, rs);
            }

            var oldScale = Replicas(rs);
            var copy = KubeObject.Clone(rs);
            copy.Spec!.Replicas = newScale;
            SetReplicasAnnotations(copy, Replicas(_d), max);
            var updated = await c._writer.UpdateReplicaSetAsync(copy, ct);
            Replace(rs, updated);
            if (sizeChanged)
            {
                operation ??= oldScale < newScale ? "up" : "down";
                c._events.Event(_d, EventTypes.Normal, "ScalingReplicaSet", $"Scaled {operation} replica set {rs.Metadata?.Name} from {oldScale} to {newScale}");
            }

            return (sizeChanged, updated);
        }

        private async Task<(bool Scaled, RS Rs)> ScaleAndRecordAsync(RS rs, int newScale) =>
            Replicas(rs) == newScale ? (false, rs) : await ScaleReplicaSetAsync(rs, newScale);

        /// <summary>Resizes: the only active ReplicaSet takes the size; mid-rollout every active one scales in proportion.</summary>
        private async Task<(RS? New, List<RS> Old)> ScaleAsync(RS? newRS, List<RS> oldRSs)
        {
            RS? Current(RS? rs) => rs is null ? null : _rsList.FirstOrDefault(x => x.Metadata?.Uid == rs.Metadata?.Uid) ?? rs;
            List<RS> CurrentOld() => [.. oldRSs.Select(rs => Current(rs)!)];

            if (FindActiveOrLatest(newRS, oldRSs) is { } only)
            {
                if (Replicas(only) != Replicas(_d))
                {
                    await ScaleAndRecordAsync(only, Replicas(_d));
                }

                return (Current(newRS), CurrentOld());
            }

            if (IsSaturated(_d, newRS))
            {
                foreach (var old in Active(oldRSs))
                {
                    await ScaleAndRecordAsync(old, 0);
                }

                return (Current(newRS), CurrentOld());
            }

            if (IsRollingUpdate(_d))
            {
                var active = Active([.. oldRSs, .. Opt(newRS)]);
                var sizes = ProportionalSizes(_d, active, out var operation);
                foreach (var rs in active)
                {
                    await ScaleReplicaSetAsync(rs, sizes[rs], operation);
                }
            }

            return (Current(newRS), CurrentOld());
        }

        /// <summary>Deletes the oldest ReplicaSets at zero replicas beyond revisionHistoryLimit.</summary>
        private async Task CleanupAsync(List<RS> oldRSs)
        {
            if (_d.Spec!.RevisionHistoryLimit is not { } limit)
            {
                return;
            }

            var cleanable = oldRSs.Where(rs => rs.Metadata?.DeletionTimestamp is null).ToList();
            var diff = cleanable.Count - limit;
            if (diff <= 0)
            {
                return;
            }

            cleanable.Sort((a, b) => Revision(a) != Revision(b) ? Revision(a).CompareTo(Revision(b)) : ByCreation(a, b));
            for (var i = 0; i < diff; i++)
            {
                var rs = cleanable[i];
                if ((rs.Status?.Replicas ?? 0) != 0 || Replicas(rs) != 0 || (rs.Metadata?.Generation ?? 0) > (rs.Status?.ObservedGeneration ?? 0))
                {
                    continue;
                }

                try
                {
                    await c._writer.DeleteReplicaSetAsync(rs.Metadata?.Namespace ?? "", rs.Metadata?.Name ?? "", ct);
                }
                catch (KubeApiException e) when (e.IsNotFound)
                {
                }
            }
        }
    }
}
