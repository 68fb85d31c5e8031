using System.Collections.Concurrent;
using Korral.Api.Models.CoreV1;
using Korral.Client;
using Korral.Kubelet.Logs;

namespace Korral.Kubelet.Tests.Server;

/// <summary>
/// A log source shaped like the node agent's: the pods this node has admitted, each read from the API (the agent reads
/// its informer), the attempt chosen from the pod's status, and CRI container IDs mapped to log files and a running flag
/// (the agent asks CRI ContainerStatus for log_path and state).
/// </summary>
public sealed class StatusBackedLogSource(KubeClient client) : IContainerLogSource
{
    /// <summary>"namespace/name" of the pods this node runs.</summary>
    public ConcurrentDictionary<string, bool> Admitted { get; } = new();

    /// <summary>CRI container ID → its log file and whether it runs.</summary>
    public ConcurrentDictionary<string, (string Path, bool Running)> Containers { get; } = new();

    public async Task<ContainerLogLookup> FindAsync(ContainerLogRequest request, CancellationToken cancellationToken)
    {
        var pod = Admitted.ContainsKey($"{request.Namespace}/{request.Pod}")
            ? await client.Resource<Pod>().TryGetAsync(request.Namespace, request.Pod, cancellationToken)
            : null;
        if (pod is null)
        {
            return ContainerLogLookup.PodNotFound(request.Pod);
        }

        if (!ContainerLogStatus.HasContainer(pod.Spec, request.Container))
        {
            return ContainerLogLookup.ContainerNotFound(request.Container, request.Pod);
        }

        var selected = ContainerLogStatus.Select(pod.Status, request.Pod, request.Container, request.Previous);
        if (selected.Error is { } error)
        {
            return ContainerLogLookup.Unavailable(error);
        }

        var id = selected.ContainerId!;
        if (!Containers.TryGetValue(id, out var container))
        {
            return ContainerLogLookup.Unavailable($"container {id} is unknown to the runtime");
        }

        return ContainerLogLookup.Log(container.Path, container.Running ? _ => ValueTask.FromResult(Containers[id].Running) : null);
    }
}
