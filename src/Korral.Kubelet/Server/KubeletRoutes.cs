using Korral.Kubelet.Streaming;

namespace Korral.Kubelet.Server;

/// <summary>
/// The kubelet API in one table (upstream's pkg/kubelet/server/server.go paths). Logs, and with a
/// <see cref="StreamingEndpoints"/> the streaming endpoints, GET and POST (SPDY upgrades are POSTs, WebSocket ones GETs),
/// each also with the pod's UID before the container: <c>/exec/{podNamespace}/{podID}[/{uid}]/{containerName}</c>,
/// <c>/attach/…</c> the same, <c>/portForward/{podNamespace}/{podID}[/{uid}]</c>; all authorized as nodes/proxy.
/// </summary>
internal static class KubeletRoutes
{
    private static readonly string[] GetAndPost = ["GET", "POST"];

    public static IReadOnlyList<KubeletRoute> Create(ContainerLogsEndpoint logs, StreamingEndpoints? streaming = null)
    {
        List<KubeletRoute> routes =
        [
            new(["GET"], "/healthz", "healthz", request => KubeletText.WriteAsync(request.Context, 200, "ok")),
            new(["GET"], "/containerLogs/{podNamespace}/{podID}/{containerName}", "proxy", logs.HandleAsync),
        ];
        if (streaming is not null)
        {
            routes.AddRange(
            [
                new(GetAndPost, "/exec/{podNamespace}/{podID}/{containerName}", "proxy", streaming.ExecAsync),
                new(GetAndPost, "/exec/{podNamespace}/{podID}/{uid}/{containerName}", "proxy", streaming.ExecAsync),
                new(GetAndPost, "/attach/{podNamespace}/{podID}/{containerName}", "proxy", streaming.AttachAsync),
                new(GetAndPost, "/attach/{podNamespace}/{podID}/{uid}/{containerName}", "proxy", streaming.AttachAsync),
                new(GetAndPost, "/portForward/{podNamespace}/{podID}", "proxy", streaming.PortForwardAsync),
                new(GetAndPost, "/portForward/{podNamespace}/{podID}/{uid}", "proxy", streaming.PortForwardAsync),
            ]);
        }

        return routes;
    }
}
