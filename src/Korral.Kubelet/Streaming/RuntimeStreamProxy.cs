using System.Net.Sockets;
using Korral.Kubelet.Server;
using Korral.Streaming.Http;
using Microsoft.AspNetCore.Http;

namespace Korral.Kubelet.Streaming;

/// <summary>
/// The hop from the kubelet to the runtime's streaming server (containerd's, plain HTTP on 127.0.0.1): the caller's
/// upgrade request goes on to the URL the CRI call returned with the caller's method and negotiation headers, and the
/// answer comes back as it is — 101 with the connections piped, or the streaming server's refusal. The streaming server
/// speaks the protocols itself (SPDY/3.1, WebSocket channel.k8s.io), so nothing is translated here; this is upstream's
/// upgrade-aware proxy with "upgrade required".
/// </summary>
internal static class RuntimeStreamProxy
{
    /// <summary>What upstream's kubelet answers (500, through its responder) to a request that does not upgrade.</summary>
    public const string UpgradeRequired = "Upgrade request required\n";

    public static async Task ProxyAsync(HttpContext context, string url, Action<string> log, CancellationToken cancellationToken)
    {
        if (!UpgradeRelay.IsUpgrade(context))
        {
            await KubeletText.WriteAsync(context, 500, UpgradeRequired);
            return;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var target) || target.Scheme != Uri.UriSchemeHttp)
        {
            // korral configures containerd's streaming server without TLS, on loopback.
            await KubeletText.WriteAsync(context, 500, $"unsupported streaming URL \"{url}\"\n");
            return;
        }

        using var connection = new TcpClient();
        UpgradeResponse response;
        try
        {
            await connection.ConnectAsync(target.Host, target.Port, cancellationToken);
            var request = new UpgradeRequest(context.Request.Method, target.PathAndQuery, target.Authority, UpgradeRelay.RequestHeaders(context.Request));
            response = await UpgradeClient.SendAsync(connection.GetStream(), request, cancellationToken);
        }
        catch (Exception e) when (e is SocketException or IOException && !cancellationToken.IsCancellationRequested)
        {
            log($"kubelet: streaming server at {target.Authority}: {e.Message}");
            await KubeletText.WriteAsync(context, 500, $"dial tcp {target.Authority}: {e.Message}\n");
            return;
        }

        await UpgradeRelay.RespondAsync(context, response, cancellationToken);
    }
}
