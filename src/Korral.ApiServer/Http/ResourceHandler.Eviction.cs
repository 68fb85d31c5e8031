using System.Text.Json.Nodes;
using Korral.ApiServer.Errors;
using Korral.ApiServer.Registry;
using Korral.ApiServer.Routing;
using Korral.ApiServer.Security;
using Korral.ApiServer.Serialization;
using Microsoft.AspNetCore.Http;

namespace Korral.ApiServer.Http;

public sealed partial class ResourceHandler
{
    private readonly PodEviction _evictions = new(store);

    /// <summary>
    /// POST pods/{name}/eviction: a policy/v1 Eviction (policy/v1beta1 is accepted too, as upstream does) naming the pod,
    /// with optional deleteOptions. Answers a Status Success with code 201 once the pod is deleted or marked for deletion.
    /// </summary>
    private async Task EvictAsync(HttpContext context, RequestInfo request, UserInfo user, CancellationToken cancellationToken)
    {
        var format = Responses.Negotiate(context);
        var bytes = await BodyReader.ReadBytesAsync(context.Request, cancellationToken);
        var eviction = bodies.Decode(bytes, context.Request.ContentType, "Eviction");
        BodyReader.CheckTypeMeta(eviction, "policy/v1", "Eviction", ["policy/v1beta1"]);
        CheckNamespace(eviction, request);
        if (Meta.Name(eviction) != request.Name)
        {
            throw ApiErrors.BadRequest("name in URL does not match name in Eviction object");
        }

        var options = new DeleteOptions();
        if (eviction["deleteOptions"] is JsonObject deleteOptions)
        {
            options = WithDeleteOptionsBody(options, deleteOptions);
        }

        if (options.GracePeriodSeconds is < 0)
        {
            options = options with { GracePeriodSeconds = 0 };
        }

        // The request's dryRun and the one inside deleteOptions are one option (upstream's propagateDryRun).
        var writeContext = WriteContextFor(context, user) with { DryRun = options.DryRun || IsDryRun(context.Request) };
        await _evictions.EvictAsync(request.Namespace, request.Name, options with { DryRun = writeContext.DryRun }, writeContext, cancellationToken);

        var ok = new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success", ["code"] = 201 };
        await Responses.WriteAsync(context, 201, ok, format.Yaml, cancellationToken);
    }
}
