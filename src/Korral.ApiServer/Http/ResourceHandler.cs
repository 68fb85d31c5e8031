using Korral.Api.ManagedFields;
using Korral.Api.Resources;
using Korral.ApiServer.Errors;
using Korral.ApiServer.Registry;
using Korral.ApiServer.Routing;
using Korral.ApiServer.Serialization;
using Korral.ApiServer.Security;
using Microsoft.AspNetCore.Http;

namespace Korral.ApiServer.Http;

/// <summary>
/// Serves the REST verbs of every resource over the generic <see cref="ResourceStore"/>: get, list, watch, create,
/// update, patch, delete and deletecollection, plus the status, scale, binding, eviction, finalize and log subresources and the streaming ones (exec, attach,
/// portforward) relayed to kubelets.
/// </summary>
public sealed partial class ResourceHandler(
    ResourceStore store,
    BodyReader bodies,
    ITableConverter tables,
    ISelectorCompiler selectors,
    IPatcher patcher,
    TimeProvider time,
    WatchSettings watchSettings,
    Kubelets.KubeletClient kubelets)
{
    public async Task HandleAsync(HttpContext context, RequestInfo request, ResourceInfo resource, UserInfo user, CancellationToken cancellationToken)
    {
        if (resource.Namespaced && request.Namespace.Length == 0 && request.Verb is "create" or "update" or "patch" or "delete" or "get")
        {
            // Namespaced objects are only addressed inside a namespace (lists and watches may span all of them).
            throw ApiErrors.PathNotFound();
        }

        if (resource.StoragePrefix.Length == 0)
        {
            // Virtual resources: the legacy bindings collection binds a pod named in the body; the review resources
            // (token, access) come with authorization.
            if (resource.Kind == "Binding" && request.Verb == "create")
            {
                await BindAsync(context, request, resource, user, cancellationToken);
                return;
            }

            throw ApiErrors.MethodNotSupported(resource, request.Verb);
        }

        if (request.Subresource.Length > 0)
        {
            await HandleSubresourceAsync(context, request, resource, user, cancellationToken);
            return;
        }

        switch (request.Verb)
        {
            case "get":
                await GetAsync(context, request, resource, cancellationToken);
                break;
            case "list":
                await ListAsync(context, request, resource, ListOptions.From(context.Request.Query), cancellationToken);
                break;
            case "watch":
                await WatchAsync(context, request, resource, ListOptions.From(context.Request.Query) with { Watch = true }, cancellationToken);
                break;
            case "create":
                await CreateAsync(context, request, resource, user, cancellationToken);
                break;
            case "update":
                await UpdateAsync(context, request, resource, "", user, cancellationToken);
                break;
            case "patch":
                await PatchAsync(context, request, resource, "", user, cancellationToken);
                break;
            case "delete":
                await DeleteAsync(context, request, resource, user, cancellationToken);
                break;
            case "deletecollection":
                await DeleteCollectionAsync(context, request, resource, user, cancellationToken);
                break;
            default:
                throw ApiErrors.MethodNotSupported(resource, request.Verb);
        }
    }

    private WriteContext WriteContextFor(HttpContext context, UserInfo user)
    {
        var fieldManager = NonEmpty(context.Request.Query["fieldManager"]);
        if (FieldManagerName.Validate(fieldManager) is { Count: > 0 } errors)
        {
            var options = OptionsKind(context.Request.Method);
            throw new ApiException(422, "Invalid", $"{options}.meta.k8s.io \"\" is invalid: fieldManager: {errors[0]}", "", "meta.k8s.io", options,
                [new StatusCause("FieldValueInvalid", errors[0], "fieldManager")]);
        }

        return new WriteContext(time.GetUtcNow(), IsDryRun(context.Request), fieldManager, user.Name)
        {
            UserAgent = context.Request.Headers.UserAgent.ToString(),
        };
    }

    private static bool IsDryRun(HttpRequest request)
    {
        var values = request.Query["dryRun"];
        foreach (var v in values)
        {
            if (v != "All")
            {
                // Upstream validates the options object of the verb and answers 422.
                var options = OptionsKind(request.Method);
                var detail = $"Unsupported value: \"{v}\": supported values: \"All\"";
                throw new ApiException(422, "Invalid", $"{options}.meta.k8s.io \"\" is invalid: dryRun: {detail}", "", "meta.k8s.io", options,
                    [new StatusCause("FieldValueNotSupported", detail, "dryRun")]);
            }
        }

        return values.Count > 0;
    }

    private static FieldValidation FieldValidationOf(HttpContext context)
    {
        return context.Request.Query["fieldValidation"].ToString() switch
        {
            "" or "Warn" => FieldValidation.Warn,
            "Strict" => FieldValidation.Strict,
            "Ignore" => FieldValidation.Ignore,
            var other => throw ApiErrors.BadRequest($"fieldValidation parameter unsupported: {other}: supported values: \"Ignore\", \"Strict\", \"Warn\""),
        };
    }

    /// <summary>The meta.k8s.io options kind a write verb's query parameters are validated as.</summary>
    private static string OptionsKind(string method) => method switch
    {
        "POST" => "CreateOptions",
        "PUT" => "UpdateOptions",
        "PATCH" => "PatchOptions",
        _ => "DeleteOptions",
    };

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
