using Korral.Api.Models.AppsV1;
using Korral.Client;
using static Korral.Controllers.Deployments.DeploymentUtil;
using RS = Korral.Api.Models.AppsV1.ReplicaSet;

namespace Korral.Controllers.Deployments;

/// <summary>The two strategies and the rollout status (Progressing with its deadline).</summary>
public sealed partial class DeploymentController
{
    private sealed partial class Run
    {
        private async Task RolloutRollingAsync()
        {
            var (newRS, oldRSs) = await GetAllReplicaSetsAndSyncRevisionAsync(create: true);
            var all = oldRSs.Append(newRS!).ToList();

            // Scale up the new ReplicaSet as far as maxSurge allows.
            if (Replicas(newRS) != Replicas(_d))
            {
                var target = Replicas(newRS) > Replicas(_d) ? Replicas(_d) : NewRSNewReplicas(_d, all, newRS!);
                var (scaledUp, updated) = await ScaleAndRecordAsync(newRS!, target);
                newRS = updated;
                if (scaledUp)
                {
                    await SyncRolloutStatusAsync([.. oldRSs, newRS], newRS);
                    return;
                }
            }

            // Scale down old ReplicaSets as far as maxUnavailable allows.
            if (await ReconcileOldReplicaSetsAsync(oldRSs, newRS!))
            {
                (newRS, oldRSs) = (Latest(newRS)!, [.. oldRSs.Select(rs => Latest(rs)!)]);
                await SyncRolloutStatusAsync([.. oldRSs, newRS], newRS);
                return;
            }

            if (Complete(_d, _d.Status!))
            {
                await CleanupAsync(oldRSs);
            }

            await SyncRolloutStatusAsync([.. oldRSs, newRS!], newRS);
        }

        private RS? Latest(RS? rs) => rs is null ? null : _rsList.FirstOrDefault(x => x.Metadata?.Uid == rs.Metadata?.Uid) ?? rs;

        private async Task<bool> ReconcileOldReplicaSetsAsync(List<RS> oldRSs, RS newRS)
        {
            if (SpecReplicas(oldRSs) == 0)
            {
                return false;
            }

            var allPods = SpecReplicas(oldRSs.Append(newRS));
            var minAvailable = Replicas(_d) - MaxUnavailable(_d);
            var newUnavailable = Replicas(newRS) - (newRS.Status?.AvailableReplicas ?? 0);
            var maxScaledDown = allPods - minAvailable - newUnavailable;
            if (maxScaledDown <= 0)
            {
                return false;
            }

            // First old pods that are not available: removing them costs no availability.
            var total = 0;
            var sorted = oldRSs.OrderBy(rs => rs, Comparer<RS>.Create(ByCreation)).ToList();
            foreach (var rs in sorted)
            {
                if (total >= maxScaledDown)
                {
                    break;
                }

                var unhealthy = Replicas(rs) - (rs.Status?.AvailableReplicas ?? 0);
                if (Replicas(rs) == 0 || unhealthy <= 0)
                {
                    continue;
                }

                var down = Math.Min(maxScaledDown - total, unhealthy);
                await ScaleAndRecordAsync(rs, Replicas(rs) - down);
                total += down;
            }

            // Then available old pods, down to minAvailable.
            var current = sorted.Select(rs => Latest(rs)!).ToList();
            var available = AvailableReplicas(current.Append(Latest(newRS)));
            if (available > minAvailable)
            {
                var toScaleDown = available - minAvailable;
                var done = 0;
                foreach (var rs in current)
                {
                    if (done >= toScaleDown)
                    {
                        break;
                    }

                    if (Replicas(rs) == 0)
                    {
                        continue;
                    }

                    var down = Math.Min(Replicas(rs), toScaleDown - done);
                    await ScaleAndRecordAsync(rs, Replicas(rs) - down);
                    done += down;
                }

                total += done;
            }

            return total > 0;
        }

        private async Task RolloutRecreateAsync()
        {
            var (newRS, oldRSs) = await GetAllReplicaSetsAndSyncRevisionAsync(create: false);
            var scaledDown = false;
            foreach (var rs in Active(oldRSs))
            {
                var (scaled, _) = await ScaleAndRecordAsync(rs, 0);
                scaledDown |= scaled;
            }

            oldRSs = [.. oldRSs.Select(rs => Latest(rs)!)];
            if (scaledDown || OldPodsRunning(newRS, oldRSs))
            {
                await SyncRolloutStatusAsync([.. oldRSs, .. Opt(newRS)], newRS);
                return;
            }

            if (newRS is null)
            {
                (newRS, oldRSs) = await GetAllReplicaSetsAndSyncRevisionAsync(create: true);
            }

            (_, newRS) = await ScaleAndRecordAsync(newRS!, Replicas(_d));
            if (Complete(_d, _d.Status!))
            {
                await CleanupAsync(oldRSs);
            }

            await SyncRolloutStatusAsync([.. oldRSs, newRS], newRS);
        }

        private bool OldPodsRunning(RS? newRS, List<RS> oldRSs)
        {
            if (StatusReplicas(oldRSs) > 0)
            {
                return true;
            }

            foreach (var rs in oldRSs)
            {
                if (rs.Metadata?.Uid == newRS?.Metadata?.Uid)
                {
                    continue;
                }

                if (c._pods.ByIndex(Korral.Client.Informers.Indexers.OwnerUid, rs.Metadata?.Uid ?? "").Any(p => p.Status?.Phase is not ("Failed" or "Succeeded")))
                {
                    return true;
                }
            }

            return false;
        }

        private async Task SyncRolloutStatusAsync(List<RS> all, RS? newRS)
        {
            var now = Now;
            var status = CalculateStatus(all, newRS, _d, now);
            if (!HasProgressDeadline(_d))
            {
                RemoveCondition(status, Progressing);
            }

            var currentCond = GetCondition(_d.Status, Progressing);
            var isComplete = status.Replicas == status.UpdatedReplicas && currentCond?.Reason == NewRSAvailableReason;
            if (HasProgressDeadline(_d) && !isComplete)
            {
                var name = newRS?.Metadata?.Name;
                if (Complete(_d, status))
                {
                    SetCondition(status, NewCondition(Progressing, "True", NewRSAvailableReason,
                        name is null ? $"Deployment \"{_d.Metadata!.Name}\" has successfully progressed." : $"ReplicaSet \"{name}\" has successfully progressed.", now));
                }
                else if (Progressed(_d, status))
                {
                    var cond = NewCondition(Progressing, "True", ReplicaSetUpdatedReason,
                        name is null ? $"Deployment \"{_d.Metadata!.Name}\" is progressing." : $"ReplicaSet \"{name}\" is progressing.", now);
                    if (currentCond is not null)
                    {
                        if (currentCond.Status == "True")
                        {
                            cond.LastTransitionTime = currentCond.LastTransitionTime;
                        }

                        RemoveCondition(status, Progressing);
                    }

                    SetCondition(status, cond);
                }
                else if (TimedOut(_d, status, now))
                {
                    SetCondition(status, NewCondition(Progressing, "False", TimedOutReason,
                        name is null ? $"Deployment \"{_d.Metadata!.Name}\" has timed out progressing." : $"ReplicaSet \"{name}\" has timed out progressing.", now));
                }
            }

            var failure = Opt(newRS).Concat(all).SelectMany(rs => rs.Status?.Conditions ?? []).FirstOrDefault(x => x.Type == "ReplicaFailure");
            if (failure is not null)
            {
                SetCondition(status, new DeploymentCondition
                {
                    Type = ReplicaFailure, Status = failure.Status, Reason = failure.Reason, Message = failure.Message,
                    LastUpdateTime = failure.LastTransitionTime, LastTransitionTime = failure.LastTransitionTime,
                });
            }
            else
            {
                RemoveCondition(status, ReplicaFailure);
            }

            if (StatusEqual(_d.Status, status))
            {
                RequeueStuck(status);
                return;
            }

            _d.Status = status;
            await UpdateStatusAsync();
        }

        /// <summary>Checks the progress deadline again when it would pass (nothing else would wake us).</summary>
        private void RequeueStuck(DeploymentStatus status)
        {
            var cond = GetCondition(_d.Status, Progressing);
            if (!HasProgressDeadline(_d) || cond is null || Complete(_d, status) || cond.Reason == TimedOutReason)
            {
                return;
            }

            var after = (cond.LastUpdateTime ?? Now).AddSeconds(_d.Spec!.ProgressDeadlineSeconds!.Value) - Now;
            var key = KubeObject.Key(_d);
            if (after < TimeSpan.FromSeconds(1))
            {
                c.Queue.AddRateLimited(key);
            }
            else
            {
                c.Queue.AddAfter(key, after + TimeSpan.FromSeconds(1));
            }
        }
    }
}
