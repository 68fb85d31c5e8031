namespace Korral.Kubelet.Server;

/// <summary>
/// The kubelet API in one table (upstream's pkg/kubelet/server/server.go paths). Streaming endpoints come next to the logs:
/// <c>/exec/{podNamespace}/{podID}/{containerName}</c> and <c>/attach/…</c> (GET and POST), <c>/portForward/{podNamespace}/{podID}</c>,
/// <c>/run/{podNamespace}/{podID}/{containerName}</c> (POST), all authorized as nodes/proxy.
/// </summary>
internal static class KubeletRoutes
{
    public static IReadOnlyList<KubeletRoute> Create(ContainerLogsEndpoint logs) =>
    [
        new(["GET"], "/healthz", "healthz", request => KubeletText.WriteAsync(request.Context, 200, "ok")),
        new(["GET"], "/containerLogs/{podNamespace}/{podID}/{containerName}", "proxy", logs.HandleAsync),
    ];
}
