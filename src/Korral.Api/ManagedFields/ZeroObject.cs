using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Korral.Api.Schema;

namespace Korral.Api.ManagedFields;

/// <summary>
/// The empty object of a kind as upstream's typed zero value serializes: non-pointer structs present (top-level
/// metadata, spec and status, pod templates, strategies…), required lists, maps and pointers null, required scalars at
/// their zero value. A create is recorded as a change from this object, which decides which containers the creator
/// owns as a whole (<c>".": {}</c>) and which were already there.
/// </summary>
internal static class ZeroObject
{
    private const string ObjectMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

    // Non-pointer struct fields below the top level, from the generated schema (a $ref property with default {}).
    private static readonly Dictionary<string, string[]> NestedStructs = new(StringComparer.Ordinal)
    {
        ["io.k8s.api.apps.v1.DaemonSetSpec"] = ["template", "updateStrategy"],
        ["io.k8s.api.apps.v1.DeploymentSpec"] = ["strategy", "template"],
        ["io.k8s.api.apps.v1.ReplicaSetSpec"] = ["template"],
        ["io.k8s.api.apps.v1.StatefulSetSpec"] = ["template", "updateStrategy"],
        ["io.k8s.api.autoscaling.v1.HorizontalPodAutoscalerSpec"] = ["scaleTargetRef"],
        ["io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec"] = ["scaleTargetRef"],
        ["io.k8s.api.batch.v1.CronJobSpec"] = ["jobTemplate"],
        ["io.k8s.api.batch.v1.JobSpec"] = ["template"],
        ["io.k8s.api.batch.v1.JobTemplateSpec"] = ["metadata", "spec"],
        ["io.k8s.api.core.v1.Binding"] = ["target"],
        ["io.k8s.api.core.v1.Event"] = ["involvedObject", "source"],
        ["io.k8s.api.core.v1.NodeDaemonEndpoints"] = ["kubeletEndpoint"],
        ["io.k8s.api.core.v1.NodeStatus"] = ["daemonEndpoints", "nodeInfo"],
        ["io.k8s.api.core.v1.PersistentVolumeClaimSpec"] = ["resources"],
        ["io.k8s.api.core.v1.PodTemplate"] = ["template"],
        ["io.k8s.api.core.v1.PodTemplateSpec"] = ["metadata", "spec"],
        ["io.k8s.api.core.v1.ServiceStatus"] = ["loadBalancer"],
    };

    private static readonly ConcurrentDictionary<(ISchemaCatalog, string), JsonObject> Cache = new();

    [ThreadStatic]
    private static Dictionary<(ISchemaCatalog, string), JsonObject>? perThread;

    /// <summary>
    /// The zero object of <paramref name="type"/>, shared by the calling thread: read it, never modify it.
    /// (JsonObject builds lookup tables lazily, so one instance is not shared across threads.)
    /// </summary>
    public static JsonObject For(TypeSchema? type, ISchemaCatalog schemas)
    {
        if (type is null)
        {
            return new JsonObject();
        }

        var mine = perThread ??= [];
        if (!mine.TryGetValue((schemas, type.Name), out var copy))
        {
            var zero = Cache.GetOrAdd((schemas, type.Name), static (key, t) => Build(t, key.Item1, topLevel: true, depth: 0), type);
            lock (zero)
            {
                copy = (JsonObject)zero.DeepClone();
            }

            mine[(schemas, type.Name)] = copy;
        }

        return copy;
    }

    private static JsonObject Build(TypeSchema type, ISchemaCatalog schemas, bool topLevel, int depth)
    {
        var obj = new JsonObject();
        NestedStructs.TryGetValue(type.Name, out var nested);
        foreach (var (name, field) in type.Properties.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (field.Kind == FieldKind.Object && field.Ref == ObjectMeta && name == "metadata")
            {
                obj[name] = new JsonObject { ["creationTimestamp"] = null };
                continue;
            }

            var isStruct = field.Kind == FieldKind.Object && field.Ref is not null && depth < 8
                && ((topLevel && name is "spec" or "status") || (nested is not null && nested.Contains(name)));
            if (isStruct && schemas.Find(field.Ref!) is { } refType)
            {
                obj[name] = Build(refType, schemas, topLevel: false, depth + 1);
                continue;
            }

            if (!type.Required.Contains(name))
            {
                continue;
            }

            obj[name] = field.Kind switch
            {
                FieldKind.String => JsonValue.Create(""),
                FieldKind.Integer or FieldKind.Number => JsonValue.Create(0),
                FieldKind.Boolean => JsonValue.Create(false),
                _ => null,
            };
        }

        return obj;
    }
}
