using Korral.Kubelet.Logs;

namespace Korral.Kubelet.Server;

/// <summary>
/// GET /containerLogs/{podNamespace}/{podID}/{containerName}: a container's log as plain text, streamed (upstream's
/// getContainerLogs). The pod and container are looked up before anything is written, so refusals keep their status.
/// </summary>
internal sealed class ContainerLogsEndpoint(IContainerLogSource source, ContainerLogReader reader, TimeProvider time, Action<string> log)
{
    public async Task HandleAsync(KubeletRequest request)
    {
        var context = request.Context;
        var query = PodLogQuery.Decode(context.Request.Query);
        if (query is null)
        {
            // Upstream's odd JSON-looking text bodies, kept as they are.
            await KubeletText.WriteAsync(context, 400, """{"message": "Unable to decode query."}""");
            return;
        }

        if (!query.IsValid())
        {
            await KubeletText.WriteAsync(context, 422, """{"message": "Invalid request."}""");
            return;
        }

        var pod = request.Value("podID");
        var lookup = await source.FindAsync(
            new ContainerLogRequest(request.Value("podNamespace"), pod, request.Value("containerName"), query.Previous), request.Aborted);
        if (!lookup.Found)
        {
            await KubeletText.WriteAsync(context, lookup.StatusCode, lookup.Error ?? "");
            return;
        }

        var path = lookup.Path!;
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain";
        try
        {
            await reader.ReadAsync(path, query.ToOptions(time.GetUtcNow()), context.Response.Body, lookup.IsRunningAsync, request.Aborted);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException && !context.Response.HasStarted)
        {
            // The container's file went away between the lookup and the open (upstream's wording for a missing path).
            await KubeletText.WriteAsync(context, 400, $"failed to try resolving symlinks in path \"{path}\": lstat {path}: no such file or directory");
        }
        catch (Exception e) when (!request.Aborted.IsCancellationRequested && context.Response.HasStarted)
        {
            // The status is sent: end the body where it stands, as upstream does after a read error.
            log($"reading log {path} for {pod}: {e.Message}");
        }
    }
}
