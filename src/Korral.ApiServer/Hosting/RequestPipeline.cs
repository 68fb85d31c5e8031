using Korral.Api.Resources;
using Korral.ApiServer.Discovery;
using Korral.ApiServer.Errors;
using Korral.ApiServer.Http;
using Korral.ApiServer.OpenApi;
using Korral.ApiServer.Routing;
using Korral.ApiServer.Security;
using Microsoft.AspNetCore.Http;

namespace Korral.ApiServer.Hosting;

/// <summary>
/// The one request entry point: health and version (open to everyone), node join (by join token), then
/// authentication, discovery, OpenAPI and resource requests. Every failure leaves as a metav1.Status.
/// </summary>
public sealed class RequestPipeline(
    Authenticator authenticator,
    IResourceCatalog catalog,
    DiscoveryDocuments discovery,
    Func<string, string?, string?, DocumentResponse?> openApiV3,
    ResourceHandler resources,
    Func<bool> ready,
    Action<string> log,
    NodeJoin.NodeJoinEndpoint? nodeJoin = null)
{
    private readonly byte[] _ok = "ok"u8.ToArray();

    public async Task HandleAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        try
        {
            await DispatchAsync(context, cancellationToken);
        }
        catch (ApiException e)
        {
            if (!context.Response.HasStarted)
            {
                await Responses.WriteStatusAsync(context, e, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException && cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            log($"error serving {context.Request.Method} {context.Request.Path}: {e}");
            if (!context.Response.HasStarted)
            {
                await Responses.WriteStatusAsync(context, ApiErrors.Internal(e.Message), cancellationToken);
            }
        }
    }

    private async Task DispatchAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var path = context.Request.Path.Value ?? "/";
        if (nodeJoin is not null && NodeJoin.NodeJoinEndpoint.Handles(path))
        {
            // Joining nodes have no cluster credentials yet: the endpoint authenticates them by the join token.
            await nodeJoin.HandleAsync(context, cancellationToken);
            return;
        }

        switch (path)
        {
            case "/healthz" or "/livez" or "/readyz" or "/healthz/" or "/livez/" or "/readyz/":
                if (path.StartsWith("/readyz", StringComparison.Ordinal) && !ready())
                {
                    await Responses.WriteBytesAsync(context, 500, "[-]korral-ready failed: not ready yet\nreadyz check failed"u8.ToArray(), "text/plain; charset=utf-8", cancellationToken);
                    return;
                }

                await Responses.WriteBytesAsync(context, 200, _ok, "text/plain; charset=utf-8", cancellationToken);
                return;
            case "/version" or "/version/":
                await WriteDocumentAsync(context, VersionInfo.Current.ToResponse(), cancellationToken);
                return;
        }

        var user = authenticator.Authenticate(context);
        if (user.IsAnonymous)
        {
            throw ApiErrors.Unauthorized();
        }

        if (discovery.Resolve(path, context.Request.Headers.Accept.ToString()) is { } doc)
        {
            await WriteDocumentAsync(context, doc, cancellationToken);
            return;
        }

        if (path.StartsWith("/openapi/", StringComparison.Ordinal))
        {
            var accept = context.Request.Headers.Accept.ToString();
            var openapi = path.TrimEnd('/') == "/openapi/v2"
                ? OpenApiV2Document.Resolve(accept)
                : openApiV3(path.TrimEnd('/'), context.Request.Query.ContainsKey("hash") ? context.Request.Query["hash"].ToString() : null, accept);
            await WriteDocumentAsync(context, openapi ?? throw ApiErrors.PathNotFound(), cancellationToken);
            return;
        }

        var request = RequestInfo.Parse(context.Request.Method, path, ListOptions.IsTrue(context.Request.Query["watch"]));
        if (request is null)
        {
            throw ApiErrors.PathNotFound();
        }

        var resource = catalog.Find(request.Group, request.Version, request.Resource) ?? throw ApiErrors.PathNotFound();
        await resources.HandleAsync(context, request, resource, user, cancellationToken);
    }

    private static async Task WriteDocumentAsync(HttpContext context, DocumentResponse doc, CancellationToken cancellationToken)
    {
        foreach (var (name, value) in doc.Headers)
        {
            context.Response.Headers.Append(name, value);
        }

        if (doc.ETag is not null)
        {
            context.Response.Headers.ETag = doc.ETag;
            if (doc.IsNotModified(context.Request.Headers.IfNoneMatch.ToString()))
            {
                context.Response.StatusCode = 304;
                return;
            }
        }

        await Responses.WriteBytesAsync(context, doc.StatusCode, doc.Body, doc.ContentType ?? Responses.JsonContentType, cancellationToken);
    }
}
