using Korral.Api.Resources;
using Korral.ApiServer.Kubelets;
using Korral.ApiServer.Routing;
using Korral.Streaming.Http;
using Korral.Streaming.RemoteCommand;
using Korral.Streaming.WebSockets;
using Microsoft.AspNetCore.Http;

namespace Korral.ApiServer.Http;

public sealed partial class ResourceHandler
{
    /// <summary>
    /// GET or POST pods/{name}/exec and pods/{name}/attach (upstream's ExecREST and AttachREST with ExecLocation and
    /// AttachLocation). SPDY and the older WebSocket protocols (channel.k8s.io … v4, base64) are relayed to the kubelet's
    /// /exec/{ns}/{pod}/{container} or /attach/… as they came. WebSocket v5.channel.k8s.io (kubectl 1.30+), which the
    /// runtime's streaming server does not speak, is terminated here and carried on to the kubelet as SPDY v4.
    /// </summary>
    private async Task ConnectRemoteCommandAsync(HttpContext context, RequestInfo request, ResourceInfo pods, CancellationToken cancellationToken)
    {
        RejectDryRun(context.Request);
        string container;
        RemoteCommandStreams streams;
        string query;
        if (request.Subresource == "exec")
        {
            var exec = PodExecOptions.Decode(context.Request.Query);
            (container, streams, query) = (exec.Container, exec.Streams, exec.KubeletQuery());
        }
        else
        {
            var attach = PodAttachOptions.Decode(context.Request.Query);
            (container, streams, query) = (attach.Container, attach.Streams, attach.KubeletQuery());
        }

        var pod = await ReadPodAsync(pods, request, cancellationToken);
        container = PodContainers.Resolve(pod, request.Name, container);
        var kubelet = await StreamingKubeletAsync(pod, request.Name, cancellationToken);
        RequireUpgrade(context);

        var target = KubeletTarget(query, request.Subresource, request.Namespace, request.Name, container);
        if (WebSocketHandshake.IsWebSocketRequest(context.Request) &&
            WebSocketHandshake.OfferedProtocols(context.Request).Contains(StreamProtocols.V5, StringComparer.Ordinal))
        {
            await TranslateToSpdyAsync(context, kubelet, target, streams, cancellationToken);
            return;
        }

        await RelayUpgradeAsync(context, kubelet, target, cancellationToken);
    }

    /// <summary>
    /// WebSocket v5 on the client's side, SPDY on the kubelet's. The kubelet is asked first; the client's WebSocket is
    /// accepted either way, as upstream's translator does: a refusal becomes the session's status (kubectl prints
    /// "Internal error occurred: unable to upgrade connection: …" and does not fall back to SPDY).
    /// </summary>
    private async Task TranslateToSpdyAsync(HttpContext context, KubeletEndpoint kubelet, string target, RemoteCommandStreams streams,
        CancellationToken cancellationToken)
    {
        RequireWebSocketKey(context);
        List<KeyValuePair<string, string>> headers = [new("Connection", "Upgrade"), new("Upgrade", StreamProtocols.Spdy)];
        headers.AddRange(WebSocketToSpdy.UpstreamProtocols.Select(p => KeyValuePair.Create(StreamProtocols.VersionHeader, p)));
        await using var answer = await SendUpgradeAsync(kubelet, "POST", target, headers, cancellationToken);
        using var client = await WebSocketHandshake.AcceptAsync(context, StreamProtocols.V5);
        if (!answer.Switched)
        {
            await WebSocketToSpdy.RefuseAsync(client, answer.Body, cancellationToken);
            return;
        }

        await WebSocketToSpdy.RunAsync(client, answer.Stream!, streams, cancellationToken);
    }
}
