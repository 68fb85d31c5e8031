using System.Globalization;
using System.Text.Json.Nodes;
using Korral.Api.Models;
using Korral.Api.Models.AppsV1;
using Korral.Api.Models.CoreV1;
using Korral.Controllers.Common;
using D = Korral.Api.Models.AppsV1.Deployment;
using RS = Korral.Api.Models.AppsV1.ReplicaSet;

namespace Korral.Controllers.Deployments;

/// <summary>
/// The arithmetic and bookkeeping of Deployments, as pure functions over the objects (no I/O): revisions, replica
/// annotations, surge and unavailability, proportional scaling, conditions.
/// </summary>
public static class DeploymentUtil
{
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    public const string RevisionHistoryAnnotation = "deployment.kubernetes.io/revision-history";
    public const string DesiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas";
    public const string MaxReplicasAnnotation = "deployment.kubernetes.io/max-replicas";
    public const string PodTemplateHashLabel = "pod-template-hash";
    public const int MaxRevisionHistoryLengthInChars = 2000;

    // Condition types and reasons (upstream's wording; kubectl rollout status reads ProgressDeadlineExceeded).
    public const string Available = "Available";
    public const string Progressing = "Progressing";
    public const string ReplicaFailure = "ReplicaFailure";
    public const string NewRSReason = "NewReplicaSetCreated";
    public const string FoundNewRSReason = "FoundNewReplicaSet";
    public const string ReplicaSetUpdatedReason = "ReplicaSetUpdated";
    public const string NewRSAvailableReason = "NewReplicaSetAvailable";
    public const string TimedOutReason = "ProgressDeadlineExceeded";
    public const string FailedRSCreateReason = "ReplicaSetCreateError";
    public const string PausedReason = "DeploymentPaused";
    public const string ResumedReason = "DeploymentResumed";
    public const string MinimumReplicasAvailable = "MinimumReplicasAvailable";
    public const string MinimumReplicasUnavailable = "MinimumReplicasUnavailable";

    private static readonly HashSet<string> AnnotationsNotCopied =
    [
        "kubectl.kubernetes.io/last-applied-configuration", RevisionAnnotation, RevisionHistoryAnnotation,
        DesiredReplicasAnnotation, MaxReplicasAnnotation, "deprecated.deployment.rollback.to",
    ];

    public static int Replicas(D d) => d.Spec?.Replicas ?? 1;

    public static int Replicas(RS? rs) => rs?.Spec?.Replicas ?? 0;

    public static bool IsRollingUpdate(D d) => d.Spec?.Strategy?.Type is null or "RollingUpdate";

    /// <summary>maxSurge rounded up and maxUnavailable rounded down; both 0 becomes unavailable 1 (upstream's fenceposts).</summary>
    public static (int Surge, int Unavailable) ResolveFenceposts(IntOrString? maxSurge, IntOrString? maxUnavailable, int desired)
    {
        var surge = (maxSurge ?? IntOrString.FromString("25%")).GetScaledValue(desired, roundUp: true);
        var unavailable = (maxUnavailable ?? IntOrString.FromString("25%")).GetScaledValue(desired, roundUp: false);
        if (surge == 0 && unavailable == 0)
        {
            unavailable = 1;
        }

        return (surge, unavailable);
    }

    public static int MaxSurge(D d) =>
        IsRollingUpdate(d) ? ResolveFenceposts(d.Spec?.Strategy?.RollingUpdate?.MaxSurge, d.Spec?.Strategy?.RollingUpdate?.MaxUnavailable, Replicas(d)).Surge : 0;

    public static int MaxUnavailable(D d)
    {
        if (!IsRollingUpdate(d) || Replicas(d) == 0)
        {
            return 0;
        }

        var (_, unavailable) = ResolveFenceposts(d.Spec?.Strategy?.RollingUpdate?.MaxSurge, d.Spec?.Strategy?.RollingUpdate?.MaxUnavailable, Replicas(d));
        return Math.Min(unavailable, Replicas(d));
    }

    public static int SpecReplicas(IEnumerable<RS?> rss) => rss.Sum(Replicas);

    public static int StatusReplicas(IEnumerable<RS?> rss) => rss.Sum(rs => rs?.Status?.Replicas ?? 0);

    public static int ReadyReplicas(IEnumerable<RS?> rss) => rss.Sum(rs => rs?.Status?.ReadyReplicas ?? 0);

    public static int AvailableReplicas(IEnumerable<RS?> rss) => rss.Sum(rs => rs?.Status?.AvailableReplicas ?? 0);

    public static List<RS> Active(IEnumerable<RS?> rss) => [.. rss.OfType<RS>().Where(rs => Replicas(rs) > 0)];

    /// <summary>Oldest first; ties by name.</summary>
    public static int ByCreation(RS a, RS b)
    {
        var ta = a.Metadata?.CreationTimestamp ?? DateTimeOffset.MinValue;
        var tb = b.Metadata?.CreationTimestamp ?? DateTimeOffset.MinValue;
        return ta != tb ? ta.CompareTo(tb) : string.CompareOrdinal(a.Metadata?.Name, b.Metadata?.Name);
    }

    public static long Revision(RS? rs) =>
        rs?.Metadata?.Annotations?.TryGetValue(RevisionAnnotation, out var v) == true && long.TryParse(v, CultureInfo.InvariantCulture, out var r) ? r : 0;

    public static long MaxRevision(IEnumerable<RS> rss) => rss.Select(Revision).DefaultIfEmpty(0).Max();

    /// <summary>Pod templates equal apart from the pod-template-hash label.</summary>
    public static bool EqualIgnoreHash(PodTemplateSpec? a, PodTemplateSpec? b)
    {
        static JsonNode? Strip(PodTemplateSpec? t)
        {
            var node = KubeJson.ToNode(t ?? new PodTemplateSpec());
            if (node?["metadata"]?["labels"] is JsonObject labels)
            {
                labels.Remove(PodTemplateHashLabel);
                if (labels.Count == 0)
                {
                    node["metadata"]!.AsObject().Remove("labels");
                }
            }

            return node;
        }

        return JsonNode.DeepEquals(Strip(a), Strip(b));
    }

    /// <summary>The ReplicaSet whose template is the Deployment's (the oldest such, if several).</summary>
    public static RS? FindNewReplicaSet(D d, IEnumerable<RS> rss) =>
        rss.OrderBy(rs => rs, Comparer<RS>.Create(ByCreation)).FirstOrDefault(rs => EqualIgnoreHash(rs.Spec?.Template, d.Spec?.Template));

    /// <summary>How many replicas the new ReplicaSet may have now.</summary>
    public static int NewRSNewReplicas(D d, IEnumerable<RS?> all, RS newRS)
    {
        if (!IsRollingUpdate(d))
        {
            return Replicas(d);
        }

        var maxTotal = Replicas(d) + MaxSurge(d);
        var current = SpecReplicas(all);
        if (current >= maxTotal)
        {
            return Replicas(newRS);
        }

        var up = Math.Min(maxTotal - current, Replicas(d) - Replicas(newRS));
        return Replicas(newRS) + up;
    }

    /// <summary>Sets desired-replicas and max-replicas; true when either changed.</summary>
    public static bool SetReplicasAnnotations(RS rs, int desired, int max)
    {
        var meta = rs.Metadata ??= new Api.Models.MetaV1.ObjectMeta();
        var a = meta.Annotations ??= new Dictionary<string, string>();
        var d = desired.ToString(CultureInfo.InvariantCulture);
        var m = max.ToString(CultureInfo.InvariantCulture);
        var changed = false;
        if (!a.TryGetValue(DesiredReplicasAnnotation, out var od) || od != d)
        {
            a[DesiredReplicasAnnotation] = d;
            changed = true;
        }

        if (!a.TryGetValue(MaxReplicasAnnotation, out var om) || om != m)
        {
            a[MaxReplicasAnnotation] = m;
            changed = true;
        }

        return changed;
    }

    public static bool ReplicasAnnotationsNeedUpdate(RS rs, int desired, int max) =>
        rs.Metadata?.Annotations is not { } a
        || !a.TryGetValue(DesiredReplicasAnnotation, out var d) || d != desired.ToString(CultureInfo.InvariantCulture)
        || !a.TryGetValue(MaxReplicasAnnotation, out var m) || m != max.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Copies the Deployment's own annotations onto the new ReplicaSet and raises its revision to
    /// <paramref name="newRevision"/> (remembering the old one in revision-history); true when anything changed.
    /// </summary>
    public static bool SetNewReplicaSetAnnotations(D d, RS rs, string newRevision, bool exists)
    {
        var meta = rs.Metadata ??= new Api.Models.MetaV1.ObjectMeta();
        var a = meta.Annotations ??= new Dictionary<string, string>();
        var changed = false;
        foreach (var (k, v) in d.Metadata?.Annotations ?? new Dictionary<string, string>())
        {
            if (!AnnotationsNotCopied.Contains(k) && (!a.TryGetValue(k, out var cur) || cur != v))
            {
                a[k] = v;
                changed = true;
            }
        }

        var hadRevision = a.TryGetValue(RevisionAnnotation, out var oldRevision);
        long oldRev = 0;
        if (hadRevision && !long.TryParse(oldRevision, CultureInfo.InvariantCulture, out oldRev))
        {
            return false;
        }

        var newRev = long.Parse(newRevision, CultureInfo.InvariantCulture);
        if (oldRev < newRev)
        {
            a[RevisionAnnotation] = newRevision;
            changed = true;
            if (hadRevision)
            {
                var history = a.TryGetValue(RevisionHistoryAnnotation, out var h) && h.Length > 0 ? h.Split(',').ToList() : [];
                history.Add(oldRevision!);
                while (string.Join(",", history).Length > MaxRevisionHistoryLengthInChars && history.Count > 1)
                {
                    history.RemoveAt(0);
                }

                a[RevisionHistoryAnnotation] = string.Join(",", history);
            }
        }

        if (!exists && SetReplicasAnnotations(rs, Replicas(d), Replicas(d) + MaxSurge(d)))
        {
            changed = true;
        }

        return changed;
    }

    /// <summary>The one ReplicaSet with replicas, or the newest when none has any; null when several are active.</summary>
    public static RS? FindActiveOrLatest(RS? newRS, List<RS> oldRSs)
    {
        if (newRS is null && oldRSs.Count == 0)
        {
            return null;
        }

        var newestFirst = oldRSs.OrderByDescending(rs => rs, Comparer<RS>.Create(ByCreation)).ToList();
        var active = Active(newestFirst.Append(newRS));
        return active.Count switch
        {
            0 => newRS ?? newestFirst[0],
            1 => active[0],
            _ => null,
        };
    }

    /// <summary>The new ReplicaSet has all replicas, all available, for the current size.</summary>
    public static bool IsSaturated(D d, RS? rs)
    {
        if (rs?.Metadata?.Annotations?.TryGetValue(DesiredReplicasAnnotation, out var s) != true || !int.TryParse(s, CultureInfo.InvariantCulture, out var desired))
        {
            return false;
        }

        return Replicas(rs) == Replicas(d) && desired == Replicas(d) && (rs.Status?.AvailableReplicas ?? 0) == Replicas(d);
    }

    /// <summary>
    /// Proportional scaling: the new size of each active ReplicaSet when the Deployment's size changed mid-rollout
    /// (each gets its share of the difference by its size relative to max-replicas; the leftover goes to the largest).
    /// </summary>
    public static Dictionary<RS, int> ProportionalSizes(D d, List<RS> active, out string operation)
    {
        var allowed = Replicas(d) > 0 ? Replicas(d) + MaxSurge(d) : 0;
        var toAdd = allowed - SpecReplicas(active);
        operation = toAdd > 0 ? "up" : "down";
        List<RS> ordered = toAdd > 0
            ? [.. active.OrderByDescending(Replicas).ThenByDescending(rs => rs, Comparer<RS>.Create(ByCreation))]
            : [.. active.OrderByDescending(Replicas).ThenBy(rs => rs, Comparer<RS>.Create(ByCreation))];
        var sizes = new Dictionary<RS, int>(ReferenceEqualityComparer.Instance);
        var added = 0;
        foreach (var rs in ordered)
        {
            if (toAdd != 0)
            {
                var proportion = Proportion(rs, d, toAdd, added);
                sizes[rs] = Replicas(rs) + proportion;
                added += proportion;
            }
            else
            {
                sizes[rs] = Replicas(rs);
            }
        }

        if (ordered.Count > 0 && toAdd != 0)
        {
            sizes[ordered[0]] = Math.Max(0, sizes[ordered[0]] + toAdd - added);
        }

        return sizes;
    }

    private static int Proportion(RS rs, D d, int toAdd, int added)
    {
        if (Replicas(rs) == 0 || toAdd == 0 || toAdd == added)
        {
            return 0;
        }

        var fraction = Fraction(rs, d);
        var allowed = toAdd - added;
        return toAdd > 0 ? Math.Min(fraction, allowed) : Math.Max(fraction, allowed);
    }

    private static int Fraction(RS rs, D d)
    {
        if (Replicas(d) == 0)
        {
            return -Replicas(rs);
        }

        var deploymentReplicas = Replicas(d) + MaxSurge(d);
        int annotated;
        if (rs.Metadata?.Annotations?.TryGetValue(MaxReplicasAnnotation, out var s) != true || !int.TryParse(s, CultureInfo.InvariantCulture, out annotated))
        {
            annotated = d.Status?.Replicas ?? 0;
        }

        if (annotated == 0)
        {
            return 0;
        }

        var size = (double)Replicas(rs) * deploymentReplicas / annotated;
        return (int)Math.Round(size, MidpointRounding.AwayFromZero) - Replicas(rs);
    }

    public static DeploymentCondition? GetCondition(DeploymentStatus? status, string type) => status?.Conditions?.FirstOrDefault(c => c.Type == type);

    public static DeploymentCondition NewCondition(string type, string status, string reason, string message, DateTimeOffset now) => new()
    {
        Type = type, Status = status, Reason = reason, Message = message, LastUpdateTime = now, LastTransitionTime = now,
    };

    /// <summary>Upstream's SetDeploymentCondition: same status and reason → unchanged; same status → keep lastTransitionTime.</summary>
    public static void SetCondition(DeploymentStatus status, DeploymentCondition condition)
    {
        var current = GetCondition(status, condition.Type!);
        if (current is not null && current.Status == condition.Status && current.Reason == condition.Reason)
        {
            return;
        }

        if (current is not null && current.Status == condition.Status)
        {
            condition.LastTransitionTime = current.LastTransitionTime;
        }

        var list = status.Conditions?.Where(c => c.Type != condition.Type).ToList() ?? [];
        list.Add(condition);
        status.Conditions = list;
    }

    public static void RemoveCondition(DeploymentStatus status, string type)
    {
        if (status.Conditions is { } list)
        {
            status.Conditions = [.. list.Where(c => c.Type != type)];
        }
    }

    public static bool HasProgressDeadline(D d) => d.Spec?.ProgressDeadlineSeconds is { } s && s != int.MaxValue;

    public static bool Complete(D d, DeploymentStatus s) =>
        (s.UpdatedReplicas ?? 0) == Replicas(d) && (s.Replicas ?? 0) == Replicas(d) && (s.AvailableReplicas ?? 0) == Replicas(d)
        && (s.ObservedGeneration ?? 0) >= (d.Metadata?.Generation ?? 0);

    public static bool Progressed(D d, DeploymentStatus s)
    {
        var old = d.Status ?? new DeploymentStatus();
        var oldOld = (old.Replicas ?? 0) - (old.UpdatedReplicas ?? 0);
        var newOld = (s.Replicas ?? 0) - (s.UpdatedReplicas ?? 0);
        return (s.UpdatedReplicas ?? 0) > (old.UpdatedReplicas ?? 0) || newOld < oldOld
            || (s.ReadyReplicas ?? 0) > (old.ReadyReplicas ?? 0) || (s.AvailableReplicas ?? 0) > (old.AvailableReplicas ?? 0);
    }

    public static bool TimedOut(D d, DeploymentStatus s, DateTimeOffset now)
    {
        if (!HasProgressDeadline(d) || GetCondition(s, Progressing) is not { } c || c.Reason == NewRSAvailableReason)
        {
            return false;
        }

        return c.Reason == TimedOutReason || (c.LastUpdateTime ?? now).AddSeconds(d.Spec!.ProgressDeadlineSeconds!.Value) < now;
    }

    /// <summary>Status from the ReplicaSets (conditions carried over, Available recomputed).</summary>
    public static DeploymentStatus CalculateStatus(List<RS> all, RS? newRS, D d, DateTimeOffset now)
    {
        var available = AvailableReplicas(all);
        var status = new DeploymentStatus
        {
            ObservedGeneration = d.Metadata?.Generation,
            Replicas = StatusReplicas(all),
            UpdatedReplicas = newRS?.Status?.Replicas ?? 0,
            ReadyReplicas = ReadyReplicas(all),
            AvailableReplicas = available,
            UnavailableReplicas = Math.Max(0, SpecReplicas(all) - available),
            CollisionCount = d.Status?.CollisionCount,
            Conditions = d.Status?.Conditions is { } c ? [.. c.Select(Copy)] : null,
        };
        SetCondition(status, available >= Replicas(d) - MaxUnavailable(d)
            ? NewCondition(Available, "True", MinimumReplicasAvailable, "Deployment has minimum availability.", now)
            : NewCondition(Available, "False", MinimumReplicasUnavailable, "Deployment does not have minimum availability.", now));
        return status;
    }

    public static DeploymentCondition Copy(DeploymentCondition c) => new()
    {
        Type = c.Type, Status = c.Status, Reason = c.Reason, Message = c.Message, LastUpdateTime = c.LastUpdateTime, LastTransitionTime = c.LastTransitionTime,
    };

    /// <summary>Equal as stored: absent counts equal zero (the server may drop zero fields).</summary>
    public static bool StatusEqual(DeploymentStatus? a, DeploymentStatus b) =>
        JsonNode.DeepEquals(KubeJson.ToNode(Normalize(a)), KubeJson.ToNode(Normalize(b)));

    private static DeploymentStatus Normalize(DeploymentStatus? s) => new()
    {
        ObservedGeneration = s?.ObservedGeneration ?? 0,
        Replicas = s?.Replicas ?? 0,
        UpdatedReplicas = s?.UpdatedReplicas ?? 0,
        ReadyReplicas = s?.ReadyReplicas ?? 0,
        AvailableReplicas = s?.AvailableReplicas ?? 0,
        UnavailableReplicas = s?.UnavailableReplicas ?? 0,
        CollisionCount = s?.CollisionCount ?? 0,
        Conditions = s?.Conditions is { Count: > 0 } c ? c : null,
    };

    /// <summary>The ReplicaSets that count for the Deployment's selector, and whose controller it is.</summary>
    public static bool IsControlledBy(RS rs, D d) => OwnerRefs.ControllerOf(rs.Metadata)?.Uid == d.Metadata?.Uid;
}
