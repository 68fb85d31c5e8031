using System.Text.Json.Nodes;
using Korral.Api.Resources;
using Korral.ApiServer.Errors;
using Korral.ApiServer.Registry;
using Korral.ApiServer.Routing;
using Korral.ApiServer.Security;
using Korral.ApiServer.Serialization;
using Microsoft.AspNetCore.Http;

namespace Korral.ApiServer.Http;

public sealed partial class ResourceHandler
{
    private async Task HandleSubresourceAsync(HttpContext context, RequestInfo request, ResourceInfo resource, UserInfo user, CancellationToken cancellationToken)
    {
        var sub = resource.Subresources.FirstOrDefault(s => s.Name == request.Subresource) ?? throw ApiErrors.PathNotFound();
        switch (sub.Name, request.Verb)
        {
            case ("status", "get"):
                await GetAsync(context, request, resource, cancellationToken);
                return;
            case ("status", "update"):
                await UpdateAsync(context, request, resource, "status", user, cancellationToken);
                return;
            case ("status", "patch"):
                await PatchAsync(context, request, resource, "status", user, cancellationToken);
                return;
            case ("finalize", "update"):
                await UpdateAsync(context, request, resource, "finalize", user, cancellationToken);
                return;
            case ("scale", "get"):
                var current = await store.GetAsync(resource, request.Namespace, request.Name, cancellationToken);
                await Responses.WriteAsync(context, 200, ScaleOf(resource, (JsonObject)JsonNode.Parse(current.Json.Span)!), Responses.Negotiate(context).Yaml, cancellationToken);
                return;
            case ("scale", "update"):
                await UpdateScaleAsync(context, request, resource, user, cancellationToken);
                return;
            case ("scale", "patch"):
                await PatchScaleAsync(context, request, resource, user, cancellationToken);
                return;
            case ("binding", "create"):
                await BindAsync(context, request, resource, user, cancellationToken);
                return;
            case ("eviction", "create"):
                await EvictAsync(context, request, user, cancellationToken);
                return;
            case ("log", "get"):
                await GetLogAsync(context, request, resource, cancellationToken);
                return;
            case ("exec" or "attach", "get" or "create"):
                await ConnectRemoteCommandAsync(context, request, resource, cancellationToken);
                return;
            case ("portforward", "get" or "create"):
                await ConnectPortForwardAsync(context, request, resource, cancellationToken);
                return;
            default:
                throw ApiErrors.MethodNotSupported(resource, request.Verb);
        }
    }

    /// <summary>The autoscaling/v1 Scale view of a Deployment, ReplicaSet or StatefulSet.</summary>
    private JsonObject ScaleOf(ResourceInfo resource, JsonObject obj)
    {
        var meta = Meta.Of(obj);
        var scaleMeta = new JsonObject();
        foreach (var field in new[] { "name", "namespace", "uid", "resourceVersion", "creationTimestamp" })
        {
            if (meta[field] is { } v)
            {
                scaleMeta[field] = v.DeepClone();
            }
        }

        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = scaleMeta,
            ["spec"] = new JsonObject { ["replicas"] = obj["spec"]?["replicas"]?.GetValue<int>() ?? 0 },
            ["status"] = new JsonObject
            {
                ["replicas"] = obj["status"]?["replicas"]?.GetValue<int>() ?? 0,
                ["selector"] = selectors.SelectorString(obj["spec"]?["selector"] as JsonObject),
            },
        };
    }

    private async Task UpdateScaleAsync(HttpContext context, RequestInfo request, ResourceInfo resource, UserInfo user, CancellationToken cancellationToken)
    {
        var format = Responses.Negotiate(context);
        var scale = await bodies.ReadObjectAsync(context.Request, resource, cancellationToken);
        BodyReader.CheckTypeMeta(scale, "autoscaling/v1", "Scale");
        var replicas = ReplicasOf(resource, request.Name, scale);
        var requested = Meta.ResourceVersion(scale);
        var updated = await store.GuaranteedUpdateAsync(resource, request.Namespace, request.Name, "scale", current =>
        {
            if (requested != 0 && requested != Meta.ResourceVersion(current))
            {
                throw ApiErrors.StaleUpdate(resource, request.Name);
            }

            SetReplicas(current, replicas);
            return current;
        }, WriteContextFor(context, user), cancellationToken);
        await Responses.WriteAsync(context, 200, ScaleOf(resource, updated), format.Yaml, cancellationToken);
    }

    private async Task PatchScaleAsync(HttpContext context, RequestInfo request, ResourceInfo resource, UserInfo user, CancellationToken cancellationToken)
    {
        var format = Responses.Negotiate(context);
        var patchType = MediaType.Parse(context.Request.ContentType ?? "").Type;
        var patch = await BodyReader.ReadBytesAsync(context.Request, cancellationToken);
        var writeContext = WriteContextFor(context, user);
        var scaleResource = resource with { Group = "autoscaling", Version = "v1", Kind = "Scale", SchemaName = "io.k8s.api.autoscaling.v1.Scale" };
        var updated = await store.GuaranteedUpdateAsync(resource, request.Namespace, request.Name, "scale", current =>
        {
            var scale = patcher.Apply(scaleResource, ScaleOf(resource, current), patchType, patch,
                new PatchContext(writeContext.FieldManager, false, writeContext.Now));
            SetReplicas(current, ReplicasOf(resource, request.Name, scale));
            return current;
        }, writeContext, cancellationToken);
        await Responses.WriteAsync(context, 200, ScaleOf(resource, updated), format.Yaml, cancellationToken);
    }

    private static int ReplicasOf(ResourceInfo resource, string name, JsonObject scale)
    {
        var node = scale["spec"]?["replicas"];
        int replicas;
        try
        {
            replicas = node?.GetValue<int>() ?? 0;
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException)
        {
            throw ApiErrors.BadRequest($"Scale in version \"v1\" cannot be handled as a Scale: spec.replicas must be an integer");
        }

        if (replicas < 0)
        {
            throw ApiErrors.Invalid(resource with { Kind = "Scale" }, name, $"spec.replicas: Invalid value: {replicas}: must be greater than or equal to 0",
                [new StatusCause("FieldValueInvalid", $"Invalid value: {replicas}: must be greater than or equal to 0", "spec.replicas")]);
        }

        return replicas;
    }

    private static void SetReplicas(JsonObject obj, int replicas)
    {
        var spec = obj["spec"] as JsonObject ?? new JsonObject();
        obj["spec"] = spec;
        spec["replicas"] = replicas;
    }

    /// <summary>pods/{name}/binding: assigns a pending pod to a node (what the scheduler does).</summary>
    private async Task BindAsync(HttpContext context, RequestInfo request, ResourceInfo resource, UserInfo user, CancellationToken cancellationToken)
    {
        var format = Responses.Negotiate(context);
        var binding = await bodies.ReadObjectAsync(context.Request, resource, cancellationToken);
        BodyReader.CheckTypeMeta(binding, "v1", "Binding");
        if (resource.Kind == "Binding")
        {
            // POST …/bindings names the pod in the body; bind through the pods resource.
            var podName = Meta.Name(binding);
            request = request with { Name = podName };
            resource = store.Catalog.Find("", "v1", "pods") ?? throw ApiErrors.PathNotFound();
            if (podName.Length == 0)
            {
                throw ApiErrors.Invalid(resource with { Kind = "Binding" }, "", "metadata.name: Required value",
                    [new StatusCause("FieldValueRequired", "Required value", "metadata.name")]);
            }
        }

        var target = binding["target"] as JsonObject;
        var node = target is null ? "" : Meta.Str(target, "name");
        if (node.Length == 0)
        {
            throw ApiErrors.Invalid(resource with { Kind = "Binding" }, request.Name, "target.name: Required value",
                [new StatusCause("FieldValueRequired", "Required value", "target.name")]);
        }

        var writeContext = WriteContextFor(context, user);
        await store.GuaranteedUpdateAsync(resource, request.Namespace, request.Name, "binding", pod =>
        {
            var spec = pod["spec"] as JsonObject ?? new JsonObject();
            pod["spec"] = spec;
            if (Meta.IsDeleting(pod))
            {
                throw ApiErrors.Conflict(resource, request.Name, "pod is being deleted, cannot be assigned to a host");
            }

            var assigned = Meta.Str(spec, "nodeName");
            if (assigned.Length > 0)
            {
                throw new ApiException(409, "Conflict",
                    $"Operation cannot be fulfilled on pods/binding \"{request.Name}\": pod {request.Name} is already assigned to node \"{assigned}\"",
                    request.Name, "", "pods/binding");
            }

            spec["nodeName"] = node;
            var status = pod["status"] as JsonObject ?? new JsonObject();
            pod["status"] = status;
            var conditions = status["conditions"] as JsonArray ?? new JsonArray();
            status["conditions"] = conditions;
            foreach (var c in conditions.OfType<JsonObject>().Where(c => Meta.Str(c, "type") == "PodScheduled").ToList())
            {
                conditions.Remove(c);
            }

            conditions.Add(new JsonObject
            {
                ["type"] = "PodScheduled",
                ["status"] = "True",
                ["lastProbeTime"] = null,
                ["lastTransitionTime"] = Meta.Timestamp(writeContext.Now),
            });
            return pod;
        }, writeContext, cancellationToken);

        var ok = new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success", ["code"] = 201 };
        await Responses.WriteAsync(context, 201, ok, format.Yaml, cancellationToken);
    }
}
