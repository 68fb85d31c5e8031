using System.Text.Json.Nodes;
using Korral.Api.Resources;
using Korral.ApiServer.Errors;
using Korral.ApiServer.Kubelets;
using Korral.ApiServer.Registry;
using Korral.ApiServer.Routing;
using Microsoft.AspNetCore.Http;

namespace Korral.ApiServer.Http;

public sealed partial class ResourceHandler
{
    /// <summary>
    /// GET pods/{name}/log (upstream's LogREST and LogLocation): validates the options and the container, finds the
    /// node's kubelet and streams its /containerLogs answer through as text/plain, flushing each chunk when following.
    /// A pod not bound to a node yet has no log: 204 No Content, as upstream.
    /// </summary>
    private async Task GetLogAsync(HttpContext context, RequestInfo request, ResourceInfo pods, CancellationToken cancellationToken)
    {
        var options = PodLogOptions.Decode(context.Request.Query);
        options.Validate(pods, request.Name);
        var pod = JsonNode.Parse((await store.GetAsync(pods, request.Namespace, request.Name, cancellationToken)).Json.Span) as JsonObject
                  ?? throw ApiErrors.Internal($"stored pod {request.Name} is not a JSON object");
        var container = PodContainers.Resolve(pod, request.Name, options.Container);
        var nodeName = pod["spec"] is JsonObject podSpec ? Meta.Str(podSpec, "nodeName") : "";
        if (nodeName.Length == 0)
        {
            context.Response.StatusCode = 204;
            return;
        }

        var nodes = store.Catalog.Find("", "v1", "nodes") ?? throw ApiErrors.Internal("no nodes resource");
        var node = JsonNode.Parse((await store.GetAsync(nodes, "", nodeName, cancellationToken)).Json.Span) as JsonObject
                   ?? throw ApiErrors.Internal($"stored node {nodeName} is not a JSON object");
        var url = KubeletEndpoint.FromNode(node, kubelets.Options).Url(
            $"/containerLogs/{Uri.EscapeDataString(request.Namespace)}/{Uri.EscapeDataString(request.Name)}/{Uri.EscapeDataString(container)}",
            options.KubeletQuery());

        HttpResponseMessage response;
        try
        {
            response = await kubelets.GetAsync(url, options.InsecureSkipTlsVerifyBackend, cancellationToken);
        }
        catch (KubeletUnreachableException e)
        {
            throw e.ToApiException();
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw await KubeletResponses.ToErrorAsync(response, "pods/log", request.Name, cancellationToken);
            }

            context.Response.StatusCode = 200;
            context.Response.ContentType = "text/plain";
            await context.Response.StartAsync(cancellationToken);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[32 * 1024];
            int n;
            while ((n = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await context.Response.Body.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
                if (options.Follow)
                {
                    await context.Response.Body.FlushAsync(cancellationToken);
                }
            }
        }
    }
}
