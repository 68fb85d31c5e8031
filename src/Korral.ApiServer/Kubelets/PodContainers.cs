using System.Text.Json.Nodes;
using Korral.ApiServer.Errors;
using Korral.ApiServer.Registry;

namespace Korral.ApiServer.Kubelets;

/// <summary>
/// Which container of a pod a log, exec or attach request means (upstream's validateContainer): the one named, which
/// must be a container, init or ephemeral container of the pod; or, when none is named, the pod's only container.
/// </summary>
public static class PodContainers
{
    public static string Resolve(JsonObject pod, string podName, string container)
    {
        var spec = pod["spec"] as JsonObject;
        var containers = Names(spec?["containers"]);
        var all = Names(spec?["initContainers"]).Concat(containers).Concat(Names(spec?["ephemeralContainers"])).ToList();
        if (container.Length == 0)
        {
            return containers.Count switch
            {
                1 => containers[0],
                0 => throw ApiErrors.BadRequest($"a container name must be specified for pod {podName}"),
                _ => throw ApiErrors.BadRequest($"a container name must be specified for pod {podName}, choose one of: [{string.Join(' ', all)}]"),
            };
        }

        return all.Contains(container) ? container : throw ApiErrors.BadRequest($"container {container} is not valid for pod {podName}");
    }

    private static List<string> Names(JsonNode? containers) =>
        (containers as JsonArray)?.OfType<JsonObject>().Select(c => Meta.Str(c, "name")).ToList() ?? [];
}
