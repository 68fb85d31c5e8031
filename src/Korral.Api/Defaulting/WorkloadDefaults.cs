using System.Text.Json.Nodes;
using Korral.Api.Validation;
using Korral.Api.Validation.Kinds.Batch;

namespace Korral.Api.Defaulting;

/// <summary>Defaults of the workload kinds (apps/v1, batch/v1), each with its pod template's.</summary>
public static class WorkloadDefaults
{
    /// <summary>Deployments: replicas 1, RollingUpdate 25%/25%, revisionHistoryLimit 10, progressDeadlineSeconds 600.</summary>
    public static void Deployment(JsonObject deployment)
    {
        var spec = JsonAccess.Ensure(deployment, "spec");
        JsonAccess.SetIfMissing(spec, "replicas", 1);
        var strategy = JsonAccess.Ensure(spec, "strategy");
        JsonAccess.SetIfEmpty(strategy, "type", "RollingUpdate");
        if (JsonAccess.Str(strategy, "type") == "RollingUpdate")
        {
            var rollingUpdate = JsonAccess.Ensure(strategy, "rollingUpdate");
            JsonAccess.SetIfMissing(rollingUpdate, "maxUnavailable", "25%");
            JsonAccess.SetIfMissing(rollingUpdate, "maxSurge", "25%");
        }

        JsonAccess.SetIfMissing(spec, "revisionHistoryLimit", 10);
        JsonAccess.SetIfMissing(spec, "progressDeadlineSeconds", 600);
        PodSpecDefaults.DefaultPodTemplate(JsonAccess.Obj(spec, "template"));
    }

    /// <summary>ReplicaSets: replicas 1.</summary>
    public static void ReplicaSet(JsonObject replicaSet)
    {
        var spec = JsonAccess.Ensure(replicaSet, "spec");
        JsonAccess.SetIfMissing(spec, "replicas", 1);
        PodSpecDefaults.DefaultPodTemplate(JsonAccess.Obj(spec, "template"));
    }

    /// <summary>
    /// StatefulSets: OrderedReady, RollingUpdate with partition 0, claim retention Retain/Retain, replicas 1,
    /// revisionHistoryLimit 10; claim templates get their kind, volumeMode and a Pending status.
    /// </summary>
    public static void StatefulSet(JsonObject statefulSet)
    {
        var spec = JsonAccess.Ensure(statefulSet, "spec");
        JsonAccess.SetIfEmpty(spec, "podManagementPolicy", "OrderedReady");
        var strategy = JsonAccess.Ensure(spec, "updateStrategy");
        if (JsonAccess.Str(strategy, "type").Length == 0)
        {
            strategy["type"] = "RollingUpdate";
            JsonAccess.Ensure(strategy, "rollingUpdate");
        }

        if (JsonAccess.Str(strategy, "type") == "RollingUpdate" && JsonAccess.Obj(strategy, "rollingUpdate") is { } rollingUpdate)
        {
            JsonAccess.SetIfMissing(rollingUpdate, "partition", 0);
        }

        var retention = JsonAccess.Ensure(spec, "persistentVolumeClaimRetentionPolicy");
        JsonAccess.SetIfEmpty(retention, "whenDeleted", "Retain");
        JsonAccess.SetIfEmpty(retention, "whenScaled", "Retain");
        JsonAccess.SetIfMissing(spec, "replicas", 1);
        JsonAccess.SetIfMissing(spec, "revisionHistoryLimit", 10);
        PodSpecDefaults.DefaultPodTemplate(JsonAccess.Obj(spec, "template"));
        foreach (var (_, claim) in JsonAccess.Items(spec, "volumeClaimTemplates"))
        {
            JsonAccess.SetIfEmpty(claim, "apiVersion", "v1");
            JsonAccess.SetIfEmpty(claim, "kind", "PersistentVolumeClaim");
            CoreDefaults.PersistentVolumeClaim(claim);
        }
    }

    /// <summary>DaemonSets: RollingUpdate with maxUnavailable 1 and maxSurge 0, revisionHistoryLimit 10.</summary>
    public static void DaemonSet(JsonObject daemonSet)
    {
        var spec = JsonAccess.Ensure(daemonSet, "spec");
        var strategy = JsonAccess.Ensure(spec, "updateStrategy");
        JsonAccess.SetIfEmpty(strategy, "type", "RollingUpdate");
        if (JsonAccess.Str(strategy, "type") == "RollingUpdate")
        {
            var rollingUpdate = JsonAccess.Ensure(strategy, "rollingUpdate");
            JsonAccess.SetIfMissing(rollingUpdate, "maxUnavailable", 1);
            JsonAccess.SetIfMissing(rollingUpdate, "maxSurge", 0);
        }

        JsonAccess.SetIfMissing(spec, "revisionHistoryLimit", 10);
        PodSpecDefaults.DefaultPodTemplate(JsonAccess.Obj(spec, "template"));
    }

    /// <summary>
    /// Jobs: completions and parallelism 1 when both unset (parallelism 1 otherwise), backoffLimit 6 (MaxInt32 with
    /// backoffLimitPerIndex), labels from the template, completionMode NonIndexed, suspend false,
    /// podReplacementPolicy TerminatingOrFailed (Failed with a podFailurePolicy).
    /// </summary>
    public static void Job(JsonObject job)
    {
        var spec = JsonAccess.Ensure(job, "spec");
        if (!JsonAccess.Has(spec, "completions") && !JsonAccess.Has(spec, "parallelism"))
        {
            spec["completions"] = 1;
            spec["parallelism"] = 1;
        }

        JsonAccess.SetIfMissing(spec, "parallelism", 1);
        JsonAccess.SetIfMissing(spec, "backoffLimit", JsonAccess.Has(spec, "backoffLimitPerIndex") ? int.MaxValue : 6);
        if (JsonAccess.Obj(JsonAccess.Obj(JsonAccess.Obj(spec, "template"), "metadata"), "labels") is { } labels)
        {
            var meta = JsonAccess.Ensure(job, "metadata");
            if (JsonAccess.Count(meta, "labels") == 0)
            {
                meta["labels"] = labels.DeepClone();
            }
        }

        JsonAccess.SetIfMissing(spec, "completionMode", "NonIndexed");
        JsonAccess.SetIfMissing(spec, "suspend", false);
        foreach (var (_, rule) in JsonAccess.Items(JsonAccess.Obj(spec, "podFailurePolicy"), "rules"))
        {
            foreach (var (_, pattern) in JsonAccess.Items(rule, "onPodConditions"))
            {
                JsonAccess.SetIfEmpty(pattern, "status", "True");
            }
        }

        JsonAccess.SetIfMissing(spec, "podReplacementPolicy", JsonAccess.Has(spec, "podFailurePolicy") ? "Failed" : "TerminatingOrFailed");
        PodSpecDefaults.DefaultPodTemplate(JsonAccess.Obj(spec, "template"));
    }

    /// <summary>CronJobs: concurrencyPolicy Allow, suspend false, history limits 3 and 1; the job template's pod defaults.</summary>
    public static void CronJob(JsonObject cronJob)
    {
        var spec = JsonAccess.Ensure(cronJob, "spec");
        JsonAccess.SetIfEmpty(spec, "concurrencyPolicy", "Allow");
        JsonAccess.SetIfMissing(spec, "suspend", false);
        JsonAccess.SetIfMissing(spec, "successfulJobsHistoryLimit", 3);
        JsonAccess.SetIfMissing(spec, "failedJobsHistoryLimit", 1);
        PodSpecDefaults.DefaultPodTemplate(JsonAccess.Obj(JsonAccess.Obj(JsonAccess.Obj(spec, "jobTemplate"), "spec"), "template"));
    }
}

/// <summary>Job creation steps that need the server (the uid exists only once the server assigns it).</summary>
public static class JobDefaults
{
    /// <summary>
    /// Upstream's selector generation for Jobs without <c>manualSelector: true</c>: the template gets
    /// <c>batch.kubernetes.io/controller-uid</c>, <c>batch.kubernetes.io/job-name</c> and their legacy
    /// <c>controller-uid</c>, <c>job-name</c> labels, the selector matches <c>batch.kubernetes.io/controller-uid</c>.
    /// Labels the user set are kept (validation then reports a conflict). Job labels defaulted from the template get
    /// the generated labels too, as upstream's shared map does. Call before validating a new Job.
    /// </summary>
    public static void GenerateSelector(JsonObject job, string uid)
    {
        var spec = JsonAccess.Ensure(job, "spec");
        if (JsonAccess.Bool(spec, "manualSelector") == true)
        {
            return;
        }

        var meta = JsonAccess.Ensure(job, "metadata");
        var name = JsonAccess.Str(meta, "name");
        var templateMeta = JsonAccess.Ensure(JsonAccess.Ensure(spec, "template"), "metadata");
        var templateLabels = templateMeta["labels"] as JsonObject;
        var jobLabels = JsonAccess.Obj(meta, "labels");
        var sharesLabels = templateLabels is not null && jobLabels is not null && JsonAccess.SemanticEquals(jobLabels, templateLabels);
        templateLabels ??= [];
        templateMeta["labels"] = templateLabels;
        foreach (var (key, value) in new[]
        {
            (JobRules.LegacyJobNameLabel, name), (JobRules.JobNameLabel, name),
            (JobRules.LegacyControllerUidLabel, uid), (JobRules.ControllerUidLabel, uid),
        })
        {
            if (!templateLabels.ContainsKey(key))
            {
                templateLabels[key] = value;
            }

            if (sharesLabels && !jobLabels!.ContainsKey(key))
            {
                jobLabels[key] = value;
            }
        }

        var matchLabels = JsonAccess.Ensure(JsonAccess.Ensure(spec, "selector"), "matchLabels");
        if (!matchLabels.ContainsKey(JobRules.ControllerUidLabel))
        {
            matchLabels[JobRules.ControllerUidLabel] = uid;
        }
    }
}
