using System.Text.Json.Nodes;
using Korral.Api.Validation;
using Korral.Api.Validation.Kinds.Scheduling;

namespace Korral.Api.Defaulting;

/// <summary>
/// What upstream's pod admission plugins add on create (not scheme defaults, so the server calls them itself):
/// the ServiceAccount plugin (default account, API token volume), DefaultTolerationSeconds and Priority.
/// </summary>
public static class PodAdmission
{
    /// <summary>Where the service account token, CA and namespace are mounted.</summary>
    public const string ServiceAccountMountPath = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>How long the projected token lives (upstream's kube-api-access volumes: 3607 s).</summary>
    public const int TokenExpirationSeconds = 3607;

    /// <summary>
    /// The ServiceAccount admission plugin: <c>serviceAccountName</c> defaults to <c>default</c> (and the deprecated
    /// <c>serviceAccount</c> mirrors it); unless automounting is off (pod first, then the account), a projected
    /// <c>kube-api-access-xxxxx</c> volume (token, kube-root-ca.crt, namespace) is added and mounted read-only in
    /// every container and init container. Mirror pods are left alone.
    /// </summary>
    /// <param name="pod">The pod being created.</param>
    /// <param name="accountAutomount">The account's <c>automountServiceAccountToken</c>, null when unset.</param>
    /// <param name="random">Random source for the volume suffix (tests pass a seeded one).</param>
    public static void ApplyServiceAccount(JsonObject pod, bool? accountAutomount = null, Random? random = null)
    {
        var annotations = JsonAccess.Obj(JsonAccess.Obj(pod, "metadata"), "annotations");
        if (JsonAccess.Has(annotations, "kubernetes.io/config.mirror"))
        {
            return;
        }

        var spec = JsonAccess.Ensure(pod, "spec");
        if (JsonAccess.Str(spec, "serviceAccountName").Length == 0)
        {
            spec["serviceAccountName"] = "default";
        }

        spec["serviceAccount"] = JsonAccess.Str(spec, "serviceAccountName");
        var automount = JsonAccess.Bool(spec, "automountServiceAccountToken") ?? accountAutomount ?? true;
        if (!automount)
        {
            return;
        }

        var volumes = spec["volumes"] as JsonArray;
        var existing = volumes?.Select(v => JsonAccess.Str(v, "name")).FirstOrDefault(n => n.StartsWith("kube-api-access-", StringComparison.Ordinal));
        var volumeName = existing ?? "kube-api-access-" + NameGenerator.RandomSuffix(5, random);
        var needsVolume = false;
        foreach (var (_, container) in JsonAccess.Items(spec, "initContainers").Concat(JsonAccess.Items(spec, "containers")))
        {
            if (JsonAccess.Items(container, "volumeMounts").Any(m => JsonAccess.Str(m.Item, "mountPath") == ServiceAccountMountPath))
            {
                continue;
            }

            var mounts = container["volumeMounts"] as JsonArray ?? [];
            container["volumeMounts"] = mounts;
            mounts.Add(new JsonObject { ["name"] = volumeName, ["readOnly"] = true, ["mountPath"] = ServiceAccountMountPath });
            needsVolume = true;
        }

        if (existing is not null || !needsVolume)
        {
            return;
        }

        volumes ??= [];
        spec["volumes"] = volumes;
        volumes.Add(TokenVolume(volumeName));
    }

    /// <summary>The projected volume upstream mounts for API access: token, cluster CA bundle, namespace.</summary>
    public static JsonObject TokenVolume(string name) => new()
    {
        ["name"] = name,
        ["projected"] = new JsonObject
        {
            ["sources"] = new JsonArray
            {
                new JsonObject { ["serviceAccountToken"] = new JsonObject { ["expirationSeconds"] = TokenExpirationSeconds, ["path"] = "token" } },
                new JsonObject
                {
                    ["configMap"] = new JsonObject
                    {
                        ["name"] = "kube-root-ca.crt",
                        ["items"] = new JsonArray { new JsonObject { ["key"] = "ca.crt", ["path"] = "ca.crt" } },
                    },
                },
                new JsonObject
                {
                    ["downwardAPI"] = new JsonObject
                    {
                        ["items"] = new JsonArray
                        {
                            new JsonObject
                            {
                                ["path"] = "namespace",
                                ["fieldRef"] = new JsonObject { ["apiVersion"] = "v1", ["fieldPath"] = "metadata.namespace" },
                            },
                        },
                    },
                },
            },
            ["defaultMode"] = PodSpecDefaults.DefaultVolumeMode,
        },
    };

    /// <summary>
    /// The DefaultTolerationSeconds plugin: pods that do not tolerate <c>node.kubernetes.io/not-ready</c> and
    /// <c>node.kubernetes.io/unreachable</c> NoExecute taints get tolerations for them, 300 s by default.
    /// </summary>
    public static void ApplyDefaultTolerationSeconds(JsonObject pod, long notReadySeconds = 300, long unreachableSeconds = 300)
    {
        var spec = JsonAccess.Ensure(pod, "spec");
        var tolerations = spec["tolerations"] as JsonArray ?? [];
        bool notReady = false, unreachable = false;
        foreach (var t in tolerations)
        {
            var key = JsonAccess.Str(t, "key");
            var effect = JsonAccess.Str(t, "effect");
            var noExecute = effect is "NoExecute" or "";
            notReady |= (key is "node.kubernetes.io/not-ready" or "") && noExecute;
            unreachable |= (key is "node.kubernetes.io/unreachable" or "") && noExecute;
        }

        if (!notReady)
        {
            tolerations.Add(Toleration("node.kubernetes.io/not-ready", notReadySeconds));
        }

        if (!unreachable)
        {
            tolerations.Add(Toleration("node.kubernetes.io/unreachable", unreachableSeconds));
        }

        spec["tolerations"] = tolerations;
    }

    /// <summary>
    /// The Priority plugin: resolves <c>priorityClassName</c> (or the global default class) to <c>priority</c> and
    /// <c>preemptionPolicy</c>; without any, priority 0 and PreemptLowerPriority. Returns upstream's Forbidden
    /// message when the class does not exist or the pod sets a conflicting value, null on success.
    /// </summary>
    /// <param name="pod">The pod being created.</param>
    /// <param name="lookup">Finds a PriorityClass by name: its value and preemption policy (null when unset).</param>
    /// <param name="globalDefault">The class marked globalDefault, if any.</param>
    public static string? ApplyPriority(JsonObject pod, Func<string, (long Value, string? PreemptionPolicy)?> lookup,
        (string Name, long Value, string? PreemptionPolicy)? globalDefault = null)
    {
        var spec = JsonAccess.Ensure(pod, "spec");
        long priority;
        string? policy;
        var className = JsonAccess.Str(spec, "priorityClassName");
        if (className.Length == 0)
        {
            if (globalDefault is { } d)
            {
                spec["priorityClassName"] = d.Name;
                (priority, policy) = (d.Value, d.PreemptionPolicy);
            }
            else
            {
                (priority, policy) = (0, "PreemptLowerPriority");
            }
        }
        else if (lookup(className) is { } found)
        {
            (priority, policy) = found;
        }
        else if (PriorityClassValidator.SystemClasses.TryGetValue(className, out var systemValue))
        {
            (priority, policy) = (systemValue, "PreemptLowerPriority");
        }
        else
        {
            return $"no PriorityClass with name {className} was found";
        }

        if (JsonAccess.Long(spec, "priority") is { } given && given != priority)
        {
            return $"the integer value of priority ({given}) must not be provided in pod spec; priority admission controller computed {priority} from the given PriorityClass name";
        }

        spec["priority"] = priority;
        if (policy is not null)
        {
            if (JsonAccess.String(spec, "preemptionPolicy") is { } givenPolicy && givenPolicy != policy)
            {
                return $"the string value of PreemptionPolicy ({givenPolicy}) must not be provided in pod spec; priority admission controller computed {policy} from the given PriorityClass name";
            }

            spec["preemptionPolicy"] = policy;
        }

        return null;
    }

    private static JsonObject Toleration(string key, long seconds) => new()
    {
        ["key"] = key,
        ["operator"] = "Exists",
        ["effect"] = "NoExecute",
        ["tolerationSeconds"] = seconds,
    };
}
