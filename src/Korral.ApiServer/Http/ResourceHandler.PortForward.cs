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
    /// GET or POST pods/{name}/portforward (upstream's PortForwardREST with PortForwardLocation). Native SPDY and the
    /// kubelet's own WebSocket protocol are relayed to /portForward/{ns}/{pod} as they came; the WebSocket tunnel of
    /// kubectl 1.31+ (SPDY/3.1+portforward.k8s.io: SPDY frames inside binary messages) is unwrapped here and sent on as
    /// native SPDY (upstream's TunnelingHandler).
    /// </summary>
    private async Task ConnectPortForwardAsync(HttpContext context, RequestInfo request, ResourceInfo pods, CancellationToken cancellationToken)
    {
        RejectDryRun(context.Request);
        var options = PodPortForwardOptions.Decode(context.Request.Query);
        var pod = await ReadPodAsync(pods, request, cancellationToken);
        var kubelet = await StreamingKubeletAsync(pod, request.Name, cancellationToken);
        RequireUpgrade(context);

        var target = KubeletTarget(options.KubeletQuery(), "portForward", request.Namespace, request.Name);
        if (WebSocketHandshake.IsWebSocketRequest(context.Request) &&
            WebSocketHandshake.OfferedProtocols(context.Request).Contains(StreamProtocols.PortForwardTunnel, StringComparer.Ordinal))
        {
            await UnwrapTunnelAsync(context, kubelet, target, cancellationToken);
            return;
        }

        await RelayUpgradeAsync(context, kubelet, target, cancellationToken);
    }

    /// <summary>
    /// The kubelet is asked for native SPDY port-forward first; its refusal goes back as it came (kubectl then falls back
    /// to SPDY itself). After its switch the client's WebSocket is accepted and the two carry the same bytes: each binary
    /// message's payload on to the kubelet, the kubelet's bytes back as binary messages.
    /// </summary>
    private async Task UnwrapTunnelAsync(HttpContext context, KubeletEndpoint kubelet, string target, CancellationToken cancellationToken)
    {
        RequireWebSocketKey(context);
        KeyValuePair<string, string>[] headers =
        [
            new("Connection", "Upgrade"), new("Upgrade", StreamProtocols.Spdy), new(StreamProtocols.VersionHeader, StreamProtocols.PortForward),
        ];
        await using var answer = await SendUpgradeAsync(kubelet, "POST", target, headers, cancellationToken);
        if (!answer.Switched)
        {
            await UpgradeRelay.RespondAsync(context, answer, cancellationToken);
            return;
        }

        using var client = await WebSocketHandshake.AcceptAsync(context, StreamProtocols.PortForwardTunnel);
        await PortForwardTunnel.RunAsync(client, answer.Stream!, cancellationToken);
    }
}
