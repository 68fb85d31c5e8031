using System.Text.Json.Nodes;
using Korral.Api.Resources;
using Korral.ApiServer.Errors;
using Korral.ApiServer.Kubelets;
using Korral.ApiServer.Registry;
using Korral.ApiServer.Routing;
using Korral.Streaming.Http;
using Microsoft.AspNetCore.Http;

namespace Korral.ApiServer.Http;

/// <summary>
/// What the connect subresources (exec, attach, portforward) share, after upstream's ConnectResource and its
/// upgrade-aware proxy: checks in upstream's order (dryRun, options, pod, node, then "is this an upgrade"), a raw TLS
/// connection to the node's kubelet, and the caller's upgrade relayed through it. The session lives as long as the
/// request: nothing here times it out, and Kestrel applies no body limits or data rates to upgraded connections.
/// </summary>
public sealed partial class ResourceHandler
{
    /// <summary>Upstream's ConnectResource refuses dry runs before anything else.</summary>
    private static void RejectDryRun(HttpRequest request)
    {
        if (request.Query.ContainsKey("dryRun"))
        {
            throw ApiErrors.BadRequest("dryRun is not supported");
        }
    }

    private async Task<JsonObject> ReadPodAsync(ResourceInfo pods, RequestInfo request, CancellationToken cancellationToken) =>
        JsonNode.Parse((await store.GetAsync(pods, request.Namespace, request.Name, cancellationToken)).Json.Span) as JsonObject
        ?? throw ApiErrors.Internal($"stored pod {request.Name} is not a JSON object");

    /// <summary>The kubelet of the pod's node (upstream's streamLocation): a pod not scheduled yet has none.</summary>
    private async Task<KubeletEndpoint> StreamingKubeletAsync(JsonObject pod, string podName, CancellationToken cancellationToken)
    {
        var nodeName = pod["spec"] is JsonObject spec ? Meta.Str(spec, "nodeName") : "";
        if (nodeName.Length == 0)
        {
            throw ApiErrors.BadRequest($"pod {podName} does not have a host assigned");
        }

        var nodes = store.Catalog.Find("", "v1", "nodes") ?? throw ApiErrors.Internal("no nodes resource");
        var node = JsonNode.Parse((await store.GetAsync(nodes, "", nodeName, cancellationToken)).Json.Span) as JsonObject
                   ?? throw ApiErrors.Internal($"stored node {nodeName} is not a JSON object");
        return KubeletEndpoint.FromNode(node, kubelets.Options);
    }

    /// <summary>Upstream's proxy with UpgradeRequired: a plain request (or HTTP/2, which cannot switch) is a 400.</summary>
    private static void RequireUpgrade(HttpContext context)
    {
        if (!UpgradeRelay.IsUpgrade(context))
        {
            throw ApiErrors.BadRequest("Upgrade request required");
        }
    }

    /// <summary>
    /// A WebSocket this server answers itself needs a proper key from the client (base64 of 16 bytes), checked before
    /// the kubelet is asked; the refusal is gorilla/websocket's, whose upgrader upstream's tunnel uses.
    /// </summary>
    private static void RequireWebSocketKey(HttpContext context)
    {
        Span<byte> key = stackalloc byte[18];
        if (!Convert.TryFromBase64String(context.Request.Headers["Sec-WebSocket-Key"].ToString().Trim(), key, out var length) || length != 16)
        {
            throw ApiErrors.BadRequest("websocket: not a websocket handshake: 'Sec-WebSocket-Key' header must be Base64 encoded value of 16-byte in length");
        }
    }

    /// <summary>The caller's upgrade request, negotiation headers and method as they came, sent on to the kubelet.</summary>
    private async Task RelayUpgradeAsync(HttpContext context, KubeletEndpoint kubelet, string target, CancellationToken cancellationToken)
    {
        var answer = await SendUpgradeAsync(kubelet, context.Request.Method, target, UpgradeRelay.RequestHeaders(context.Request), cancellationToken);
        await UpgradeRelay.RespondAsync(context, answer, cancellationToken);
    }

    /// <summary>
    /// Opens a connection to the kubelet and sends an upgrade request on it. After 101 the connection belongs to the
    /// answer; a refusal (4xx/5xx, body read) is returned for the caller to pass on; anything else is upstream's error.
    /// </summary>
    private async Task<UpgradeResponse> SendUpgradeAsync(KubeletEndpoint kubelet, string method, string target,
        IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        Stream connection;
        try
        {
            connection = await kubelets.ConnectAsync(kubelet, insecureSkipTlsVerify: false, cancellationToken);
        }
        catch (KubeletUnreachableException e)
        {
            throw e.ToUpgradeApiException();
        }

        UpgradeResponse answer;
        try
        {
            answer = await UpgradeClient.SendAsync(connection, new UpgradeRequest(method, target, kubelet.Authority, headers), cancellationToken);
        }
        catch (IOException e) when (!cancellationToken.IsCancellationRequested)
        {
            await connection.DisposeAsync();
            throw new ApiException(500, "", e.Message);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        if (answer.Switched)
        {
            return answer;
        }

        await connection.DisposeAsync();
        if (answer.StatusCode < 400)
        {
            // Neither a switch nor an error the caller could show: upstream's proxy answers this itself.
            throw new ApiException(500, "", $"invalid upgrade response: status code {answer.StatusCode}");
        }

        return answer;
    }

    /// <summary>The kubelet's request target: an escaped path, and the query when there is one.</summary>
    private static string KubeletTarget(string query, params string[] segments) =>
        "/" + string.Join('/', segments.Select(Uri.EscapeDataString)) + (query.Length == 0 ? "" : "?" + query);
}
