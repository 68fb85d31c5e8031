using Korral.Kubelet.Cri;
using Korral.Kubelet.Cri.V1;
using Korral.Kubelet.Logs;
using Korral.Kubelet.Pods;

namespace Korral.Kubelet.Hosting;

/// <summary>
/// Finds container logs for the kubelet server as upstream's kubelet does: the pod must run on this node, the container
/// must be in its spec, and the pod's status decides which attempt (current or previous) has the log; the runtime gives
/// the file and whether the container still writes to it.
/// </summary>
public sealed class PodLogSource(PodRegistry pods, IRuntimeService runtime) : IContainerLogSource
{
    public async Task<ContainerLogLookup> FindAsync(ContainerLogRequest request, CancellationToken cancellationToken)
    {
        if (pods.FindByName(request.Namespace, request.Pod) is not { } pod)
        {
            return ContainerLogLookup.PodNotFound(request.Pod);
        }

        if (!ContainerLogStatus.HasContainer(pod.Spec, request.Container))
        {
            return ContainerLogLookup.ContainerNotFound(request.Container, request.Pod);
        }

        var selection = ContainerLogStatus.Select(pod.Status, request.Pod, request.Container, request.Previous);
        if (selection.ContainerId is not { Length: > 0 } id)
        {
            return ContainerLogLookup.Unavailable(selection.Error ?? $"container \"{request.Container}\" in pod \"{request.Pod}\" is not available");
        }

        try
        {
            var status = (await runtime.ContainerStatusAsync(new ContainerStatusRequest { ContainerId = id }, cancellationToken)).Status;
            if (status is null || string.IsNullOrEmpty(status.LogPath))
            {
                return ContainerLogLookup.Unavailable($"container \"{request.Container}\" in pod \"{request.Pod}\" is not available");
            }

            return ContainerLogLookup.Log(status.LogPath, status.State == ContainerState.ContainerRunning ? ct => IsRunningAsync(id, ct) : null);
        }
        catch (CriException e) when (e.IsNotFound)
        {
            return ContainerLogLookup.Unavailable($"container \"{request.Container}\" in pod \"{request.Pod}\" is not available");
        }
    }

    private async ValueTask<bool> IsRunningAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            var status = await runtime.ContainerStatusAsync(new ContainerStatusRequest { ContainerId = id }, cancellationToken);
            return status.Status?.State == ContainerState.ContainerRunning;
        }
        catch (CriException e) when (e.IsNotFound)
        {
            return false;
        }
    }
}
