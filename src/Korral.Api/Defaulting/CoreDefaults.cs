using System.Text;
using System.Text.Json.Nodes;
using Korral.Api.Validation;

namespace Korral.Api.Defaulting;

/// <summary>Defaults of the smaller core kinds (v1), as upstream's scheme and create strategies set them.</summary>
public static class CoreDefaults
{
    /// <summary>Secrets: type Opaque; <c>stringData</c> is merged into <c>data</c> (base64) and removed.</summary>
    public static void Secret(JsonObject secret)
    {
        JsonAccess.SetIfEmpty(secret, "type", "Opaque");
        if (secret["stringData"] is JsonObject stringData)
        {
            var data = JsonAccess.Ensure(secret, "data");
            foreach (var (key, value) in stringData)
            {
                data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonAccess.AsString(value) ?? ""));
            }
        }

        secret.Remove("stringData");
    }

    /// <summary>Namespaces: the <c>kubernetes.io/metadata.name</c> label, status phase Active.</summary>
    public static void Namespace(JsonObject ns)
    {
        var meta = JsonAccess.Ensure(ns, "metadata");
        var name = JsonAccess.Str(meta, "name");
        if (name.Length > 0)
        {
            JsonAccess.Ensure(meta, "labels")["kubernetes.io/metadata.name"] = name;
        }

        JsonAccess.SetIfEmpty(JsonAccess.Ensure(ns, "status"), "phase", "Active");
    }

    /// <summary>New namespaces: status Active and the <c>kubernetes</c> finalizer in <c>spec.finalizers</c>.</summary>
    public static void NamespaceOnCreate(JsonObject ns)
    {
        ns["status"] = new JsonObject { ["phase"] = "Active" };
        var spec = JsonAccess.Ensure(ns, "spec");
        var finalizers = spec["finalizers"] as JsonArray ?? [];
        if (!finalizers.Any(f => JsonAccess.AsString(f) == "kubernetes"))
        {
            finalizers.Add("kubernetes");
        }

        spec["finalizers"] = finalizers;
    }

    /// <summary>PersistentVolumeClaims: volumeMode Filesystem, resources rounded, status phase Pending.</summary>
    public static void PersistentVolumeClaim(JsonObject claim)
    {
        PodSpecDefaults.DefaultClaimSpec(JsonAccess.Ensure(claim, "spec"));
        var status = JsonAccess.Ensure(claim, "status");
        JsonAccess.SetIfEmpty(status, "phase", "Pending");
        PodSpecDefaults.RoundUpResourceList(JsonAccess.Obj(status, "capacity"));
        PodSpecDefaults.RoundUpResourceList(JsonAccess.Obj(status, "allocatedResources"));
    }

    /// <summary>PersistentVolumes: reclaim policy Retain, volumeMode Filesystem, capacity rounded, status phase Pending.</summary>
    public static void PersistentVolume(JsonObject volume)
    {
        var spec = JsonAccess.Ensure(volume, "spec");
        JsonAccess.SetIfEmpty(spec, "persistentVolumeReclaimPolicy", "Retain");
        JsonAccess.SetIfMissing(spec, "volumeMode", "Filesystem");
        PodSpecDefaults.RoundUpResourceList(JsonAccess.Obj(spec, "capacity"));
        if (JsonAccess.Obj(spec, "hostPath") is { } hostPath)
        {
            JsonAccess.SetIfMissing(hostPath, "type", "");
        }

        JsonAccess.SetIfEmpty(JsonAccess.Ensure(volume, "status"), "phase", "Pending");
    }

    /// <summary>Nodes: allocatable defaults to capacity; quantities rounded.</summary>
    public static void Node(JsonObject node)
    {
        if (JsonAccess.Obj(node, "status") is not { } status)
        {
            return;
        }

        if (JsonAccess.Obj(status, "capacity") is { } capacity && !JsonAccess.Has(status, "allocatable"))
        {
            status["allocatable"] = capacity.DeepClone();
        }

        PodSpecDefaults.RoundUpResourceList(JsonAccess.Obj(status, "capacity"));
        PodSpecDefaults.RoundUpResourceList(JsonAccess.Obj(status, "allocatable"));
    }

    /// <summary>Endpoints: port protocol TCP.</summary>
    public static void Endpoints(JsonObject endpoints)
    {
        foreach (var (_, subset) in JsonAccess.Items(endpoints, "subsets"))
        {
            foreach (var (_, port) in JsonAccess.Items(subset, "ports"))
            {
                JsonAccess.SetIfEmpty(port, "protocol", "TCP");
            }
        }
    }

    /// <summary>ReplicationControllers: selector and labels from the template, replicas 1, template pod defaults.</summary>
    public static void ReplicationController(JsonObject rc)
    {
        var spec = JsonAccess.Ensure(rc, "spec");
        var template = JsonAccess.Obj(spec, "template");
        if (JsonAccess.Obj(JsonAccess.Obj(template, "metadata"), "labels") is { } labels)
        {
            if (JsonAccess.Count(spec, "selector") == 0)
            {
                spec["selector"] = labels.DeepClone();
            }

            var meta = JsonAccess.Ensure(rc, "metadata");
            if (JsonAccess.Count(meta, "labels") == 0)
            {
                meta["labels"] = labels.DeepClone();
            }
        }

        JsonAccess.SetIfMissing(spec, "replicas", 1);
        PodSpecDefaults.DefaultPodTemplate(template);
    }

    /// <summary>LimitRanges: Container items default their limits from max and their requests from default or min.</summary>
    public static void LimitRange(JsonObject limitRange)
    {
        foreach (var (_, item) in JsonAccess.Items(JsonAccess.Obj(limitRange, "spec"), "limits"))
        {
            foreach (var list in new[] { "max", "min", "default", "defaultRequest", "maxLimitRequestRatio" })
            {
                PodSpecDefaults.RoundUpResourceList(JsonAccess.Obj(item, list));
            }

            if (JsonAccess.Str(item, "type") != "Container")
            {
                continue;
            }

            var defaults = JsonAccess.Ensure(item, "default");
            var defaultRequest = JsonAccess.Ensure(item, "defaultRequest");
            foreach (var (key, value) in JsonAccess.Obj(item, "max") ?? [])
            {
                if (!defaults.ContainsKey(key))
                {
                    defaults[key] = value?.DeepClone();
                }
            }

            foreach (var (key, value) in defaults)
            {
                if (!defaultRequest.ContainsKey(key))
                {
                    defaultRequest[key] = value?.DeepClone();
                }
            }

            foreach (var (key, value) in JsonAccess.Obj(item, "min") ?? [])
            {
                if (!defaultRequest.ContainsKey(key))
                {
                    defaultRequest[key] = value?.DeepClone();
                }
            }
        }
    }

    /// <summary>ResourceQuotas: quantities rounded.</summary>
    public static void ResourceQuota(JsonObject quota)
    {
        PodSpecDefaults.RoundUpResourceList(JsonAccess.Obj(JsonAccess.Obj(quota, "spec"), "hard"));
        PodSpecDefaults.RoundUpResourceList(JsonAccess.Obj(JsonAccess.Obj(quota, "status"), "hard"));
        PodSpecDefaults.RoundUpResourceList(JsonAccess.Obj(JsonAccess.Obj(quota, "status"), "used"));
    }

    /// <summary>Replaces the status with <paramref name="status"/> (upstream strategies reset status on create).</summary>
    public static Action<JsonObject> ResetStatus(Func<JsonObject> status) => obj => obj["status"] = status();
}
