using System.Text.Json.Nodes;
using Korral.Api.Defaulting;
using Korral.Api.Resources;
using Korral.ApiServer.Errors;
using Korral.ApiServer.Registry;

namespace Korral.ApiServer.Strategies;

/// <summary>
/// Pods: status starts Pending with its QoS class; a pod bound to a node is deleted gracefully (the kubelet confirms
/// with a zero-grace delete once its containers are gone), an unbound or finished one at once.
/// </summary>
public sealed class PodStrategy(ResourceInfo resource, Func<string, (long Value, string? PreemptionPolicy)?> priorityClasses)
    : DefaultStrategy(resource)
{
    public const long DefaultGracePeriodSeconds = 30;

    public override void PrepareForCreate(JsonObject obj, WriteContext context)
    {
        base.PrepareForCreate(obj, context);

        // What upstream's admission plugins add to every new pod: the service account and its token volume, the
        // not-ready/unreachable tolerations, and the priority of its class.
        PodAdmission.ApplyServiceAccount(obj);
        PodAdmission.ApplyDefaultTolerationSeconds(obj);
        if (PodAdmission.ApplyPriority(obj, priorityClasses) is { } forbidden)
        {
            throw ApiErrors.Forbidden(Resource, Meta.Name(obj), forbidden);
        }

        obj["status"] = new JsonObject
        {
            ["phase"] = "Pending",
            ["qosClass"] = QosClass(obj["spec"] as JsonObject),
        };
    }

    public override long? GracefulDeletionSeconds(JsonObject obj, DeleteOptions options)
    {
        var spec = obj["spec"] as JsonObject;
        var nodeName = spec is null ? "" : Meta.Str(spec, "nodeName");
        var phase = obj["status"] is JsonObject status ? Meta.Str(status, "phase") : "";
        if (nodeName.Length == 0 || phase is "Succeeded" or "Failed")
        {
            return null;
        }

        var grace = options.GracePeriodSeconds ?? spec?["terminationGracePeriodSeconds"]?.GetValue<long>() ?? DefaultGracePeriodSeconds;
        return grace <= 0 ? null : grace;
    }

    /// <summary>The QoS class upstream derives from requests and limits: Guaranteed, Burstable or BestEffort.</summary>
    public static string QosClass(JsonObject? spec)
    {
        var containers = new List<JsonObject>();
        foreach (var list in new[] { "initContainers", "containers" })
        {
            if (spec?[list] is JsonArray array)
            {
                containers.AddRange(array.OfType<JsonObject>());
            }
        }

        var any = false;
        var guaranteed = containers.Count > 0;
        foreach (var c in containers)
        {
            var resources = c["resources"] as JsonObject;
            var requests = resources?["requests"] as JsonObject;
            var limits = resources?["limits"] as JsonObject;
            if (requests is { Count: > 0 } || limits is { Count: > 0 })
            {
                any = true;
            }

            foreach (var name in new[] { "cpu", "memory" })
            {
                var limit = limits?[name]?.ToString();
                var request = requests?[name]?.ToString() ?? limit;
                if (limit is null || request != limit)
                {
                    guaranteed = false;
                }
            }
        }

        return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
    }
}
