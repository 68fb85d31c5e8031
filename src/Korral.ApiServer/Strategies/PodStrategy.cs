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
            ["qosClass"] = PodDefaults.QosClass(obj),
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
}
