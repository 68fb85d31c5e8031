namespace Korral.Kubelet.Logs;

/// <summary>
/// Where the kubelet server finds container logs: implemented by the node agent, which knows the pods it runs, their
/// status and their CRI containers. The server calls it once per /containerLogs request, before anything is written.
/// </summary>
public interface IContainerLogSource
{
    /// <summary>
    /// Finds the log of one container of a pod on this node: the current attempt, or with
    /// <see cref="ContainerLogRequest.Previous"/> the last terminated one. Answers a
    /// <see cref="ContainerLogLookup"/> carrying either the file or the refusal with upstream's status and wording
    /// (<see cref="ContainerLogLookup.PodNotFound"/>, <see cref="ContainerLogLookup.ContainerNotFound"/>, or
    /// <see cref="ContainerLogLookup.Unavailable"/> with a message from <see cref="ContainerLogStatus.Select"/>).
    /// </summary>
    Task<ContainerLogLookup> FindAsync(ContainerLogRequest request, CancellationToken cancellationToken);
}
