using System.Text.Json;
using System.Text.Json.Nodes;
using Korral.Api.Resources;
using Korral.ApiServer.Errors;
using Korral.ApiServer.Registry;
using Korral.ApiServer.Routing;
using Korral.ApiServer.Security;
using Korral.ApiServer.Serialization;
using Korral.ApiServer.WatchCache;
using Microsoft.AspNetCore.Http;

namespace Korral.ApiServer.Http;

public sealed partial class ResourceHandler
{
    private async Task CreateAsync(HttpContext context, RequestInfo request, ResourceInfo resource, UserInfo user, CancellationToken cancellationToken)
    {
        var format = Responses.Negotiate(context);
        var fieldValidation = FieldValidationOf(context);
        var obj = await bodies.ReadObjectAsync(context.Request, resource, cancellationToken);
        BodyReader.CheckTypeMeta(obj, resource.GroupVersion, resource.Kind);
        CheckNamespace(obj, request);
        var warnings = new List<string>();
        var created = await store.CreateAsync(resource, request.Namespace, obj, WriteContextFor(context, user), fieldValidation, warnings, cancellationToken);
        Responses.AddWarnings(context, warnings);
        await Responses.WriteAsync(context, 201, created, format.Yaml, cancellationToken);
    }

    private async Task UpdateAsync(HttpContext context, RequestInfo request, ResourceInfo resource, string subresource, UserInfo user,
        CancellationToken cancellationToken)
    {
        var format = Responses.Negotiate(context);
        var fieldValidation = FieldValidationOf(context);
        var obj = await bodies.ReadObjectAsync(context.Request, resource, cancellationToken);
        BodyReader.CheckTypeMeta(obj, resource.GroupVersion, resource.Kind);
        CheckNamespace(obj, request);
        var warnings = new List<string>();
        var (updated, created) = await store.UpdateAsync(resource, request.Namespace, request.Name, obj, subresource,
            WriteContextFor(context, user), fieldValidation, warnings, cancellationToken);
        Responses.AddWarnings(context, warnings);
        await Responses.WriteAsync(context, created ? 201 : 200, updated, format.Yaml, cancellationToken);
    }

    private async Task PatchAsync(HttpContext context, RequestInfo request, ResourceInfo resource, string subresource, UserInfo user,
        CancellationToken cancellationToken)
    {
        var format = Responses.Negotiate(context);
        var patchType = MediaType.Parse(context.Request.ContentType ?? "").Type;
        if (!patcher.SupportedTypes.Contains(patchType))
        {
            throw new ApiException(415, "UnsupportedMediaType",
                $"the body of the request was in an unknown format - accepted media types include: {string.Join(", ", patcher.SupportedTypes)}");
        }

        var patch = await BodyReader.ReadBytesAsync(context.Request, cancellationToken);
        var query = context.Request.Query;
        var writeContext = WriteContextFor(context, user);
        var force = ListOptions.IsTrue(query["force"]);
        var apply = patchType == "application/apply-patch+yaml";
        if (apply && writeContext.FieldManager is null)
        {
            throw new ApiException(422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch",
                "", "meta.k8s.io", "PatchOptions", [new StatusCause("FieldValueRequired", "Required value: is required for apply patch", "fieldManager")]);
        }

        if (!apply && force)
        {
            throw new ApiException(422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply patch",
                "", "meta.k8s.io", "PatchOptions", [new StatusCause("FieldValueForbidden", "Forbidden: may not be specified for non-apply patch", "force")]);
        }

        writeContext = writeContext with { Applied = apply };
        var patchContext = new PatchContext(writeContext.FieldManager, force, writeContext.Now, subresource);
        var fieldValidation = FieldValidationOf(context);
        var warnings = new List<string>();
        JsonObject result;
        try
        {
            result = await store.GuaranteedUpdateAsync(resource, request.Namespace, request.Name, subresource,
                current => patcher.Apply(resource, current, patchType, patch, patchContext), writeContext, cancellationToken);
        }
        catch (ApiException e) when (e.Code == 404 && patchType == "application/apply-patch+yaml" && subresource.Length == 0)
        {
            // Server-side apply creates what does not exist yet.
            var created = patcher.Apply(resource, null, patchType, patch, patchContext);
            CheckNamespace(created, request);
            Meta.Of(created)["name"] = request.Name;
            result = await store.CreateAsync(resource, request.Namespace, created, writeContext, fieldValidation, warnings, cancellationToken);
            Responses.AddWarnings(context, warnings);
            await Responses.WriteAsync(context, 201, result, format.Yaml, cancellationToken);
            return;
        }

        await Responses.WriteAsync(context, 200, result, format.Yaml, cancellationToken);
    }

    private async Task DeleteAsync(HttpContext context, RequestInfo request, ResourceInfo resource, UserInfo user, CancellationToken cancellationToken)
    {
        var format = Responses.Negotiate(context);
        var options = await ReadDeleteOptionsAsync(context, cancellationToken);
        var writeContext = WriteContextFor(context, user) with { DryRun = options.DryRun || IsDryRun(context.Request) };
        var outcome = await store.DeleteAsync(resource, request.Namespace, request.Name, options, writeContext, cancellationToken);
        if (outcome.Deleted && !ReturnsDeletedObject(resource))
        {
            var status = Responses.SuccessStatus(request.Name, resource.Group, resource.Plural, Meta.Str(Meta.Of(outcome.Object), "uid"));
            await Responses.WriteAsync(context, 200, status, format.Yaml, cancellationToken);
            return;
        }

        await Responses.WriteAsync(context, 200, outcome.Object, format.Yaml, cancellationToken);
    }

    /// <summary>Kinds whose delete answers with the object rather than a Status (pods and namespaces do upstream).</summary>
    private static bool ReturnsDeletedObject(ResourceInfo resource) =>
        resource.Group.Length == 0 && resource.Kind is "Pod" or "Namespace" or "Service" or "ServiceAccount" or "PersistentVolumeClaim" or "PersistentVolume";

    private async Task DeleteCollectionAsync(HttpContext context, RequestInfo request, ResourceInfo resource, UserInfo user, CancellationToken cancellationToken)
    {
        var format = Responses.Negotiate(context);
        var options = await ReadDeleteOptionsAsync(context, cancellationToken);
        var list = ListOptions.From(context.Request.Query);
        var filter = new WatchFilter(request.Namespace, selectors.Compile(resource, list.LabelSelector, list.FieldSelector));
        await store.Caches.WaitUntilFreshAsync(cancellationToken);
        var (items, revision) = store.CacheFor(resource).List(filter);
        var writeContext = WriteContextFor(context, user) with { DryRun = options.DryRun || IsDryRun(context.Request) };
        var deleted = new List<CachedObject>();
        foreach (var item in items)
        {
            try
            {
                await store.DeleteAsync(resource, item.Namespace, item.Name, options, writeContext, cancellationToken);
                deleted.Add(item);
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // Gone meanwhile: that is what was asked.
            }
        }

        var result = new JsonObject
        {
            ["kind"] = resource.ListKind,
            ["apiVersion"] = resource.GroupVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["items"] = new JsonArray(deleted.Select(d => JsonNode.Parse(d.Json.Span)).ToArray()),
        };
        await Responses.WriteAsync(context, 200, result, format.Yaml, cancellationToken);
    }

    private async Task<DeleteOptions> ReadDeleteOptionsAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        long? grace = query.ContainsKey("gracePeriodSeconds") ? ListOptions.ParseResourceVersion(query["gracePeriodSeconds"].ToString()) : null;
        var propagation = ParsePropagation(NonEmpty(query["propagationPolicy"]));
        if (query.ContainsKey("orphanDependents") && propagation is null)
        {
            propagation = ListOptions.IsTrue(query["orphanDependents"]) ? PropagationPolicy.Orphan : PropagationPolicy.Background;
        }

        var options = new DeleteOptions(grace, propagation);
        var bytes = await BodyReader.ReadBytesAsync(context.Request, cancellationToken);
        if (bytes.Length > 0)
        {
            options = WithDeleteOptionsBody(options, bodies.Decode(bytes, context.Request.ContentType, "DeleteOptions"));
        }

        return options.GracePeriodSeconds is < 0 ? options with { GracePeriodSeconds = 0 } : options;
    }

    /// <summary>A metav1.DeleteOptions body (a DELETE's, or an Eviction's deleteOptions) over what the query said.</summary>
    private static DeleteOptions WithDeleteOptionsBody(DeleteOptions options, JsonObject body)
    {
        if (body["gracePeriodSeconds"] is JsonValue g)
        {
            options = options with { GracePeriodSeconds = g.GetValue<long>() };
        }

        if (body["propagationPolicy"] is JsonValue p)
        {
            options = options with { Propagation = ParsePropagation((string?)p) };
        }
        else if (body["orphanDependents"] is JsonValue o)
        {
            options = options with { Propagation = o.GetValue<bool>() ? PropagationPolicy.Orphan : PropagationPolicy.Background };
        }

        return options with
        {
            PreconditionUid = body["preconditions"]?["uid"]?.GetValue<string>(),
            PreconditionResourceVersion = body["preconditions"]?["resourceVersion"]?.GetValue<string>(),
            DryRun = body["dryRun"] is JsonArray { Count: > 0 },
        };
    }

    private static PropagationPolicy? ParsePropagation(string? value) => value switch
    {
        null => null,
        "Background" => PropagationPolicy.Background,
        "Foreground" => PropagationPolicy.Foreground,
        "Orphan" => PropagationPolicy.Orphan,
        _ => throw ApiErrors.BadRequest($"propagationPolicy: Unsupported value: \"{value}\": supported values: \"Foreground\", \"Background\", \"Orphan\""),
    };

    private static void CheckNamespace(JsonObject obj, RequestInfo request)
    {
        var ns = Meta.Namespace(obj);
        if (ns.Length > 0 && request.Namespace.Length > 0 && ns != request.Namespace)
        {
            throw ApiErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
    }
}
