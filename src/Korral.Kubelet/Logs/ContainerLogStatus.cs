using Korral.Api.Models.CoreV1;

namespace Korral.Kubelet.Logs;

/// <summary>
/// Which container attempt a log request means, decided from the pod's status as the kubelet reports it (upstream's
/// validateContainerLogStatus in pkg/kubelet/kubelet_pods.go), with upstream's messages for containers that have no log.
/// </summary>
public static class ContainerLogStatus
{
    /// <summary>Whether the pod's spec names the container among its containers, init or ephemeral containers.</summary>
    public static bool HasContainer(PodSpec? spec, string container) =>
        spec is not null &&
        ((spec.Containers?.Any(c => c.Name == container) ?? false) ||
         (spec.InitContainers?.Any(c => c.Name == container) ?? false) ||
         (spec.EphemeralContainers?.Any(c => c.Name == container) ?? false));

    /// <summary>
    /// The container ID whose log to read: with <paramref name="previous"/> the last terminated attempt; else the running
    /// one, or the terminated one (falling back to the attempt before when the latest never started); otherwise a
    /// message saying why there is no log (waiting to start, terminated without an ID, not in the status yet).
    /// </summary>
    public static ContainerLogSelection Select(PodStatus? status, string podName, string container, bool previous)
    {
        var found = Find(status?.ContainerStatuses, container) ?? Find(status?.InitContainerStatuses, container) ??
                    Find(status?.EphemeralContainerStatuses, container);
        if (found is null)
        {
            return Refuse($"container \"{container}\" in pod \"{podName}\" is not available");
        }

        var last = found.LastState?.Terminated;
        var state = found.State;
        if (previous)
        {
            return string.IsNullOrEmpty(last?.ContainerID)
                ? Refuse($"previous terminated container \"{container}\" in pod \"{podName}\" not found")
                : Pick(last.ContainerID);
        }

        if (state?.Running is not null)
        {
            return Pick(found.ContainerID ?? "");
        }

        if (state?.Terminated is { } terminated)
        {
            // When the next attempt did not start, the terminated state has no ID: the attempt before has the log.
            if (!string.IsNullOrEmpty(terminated.ContainerID))
            {
                return Pick(terminated.ContainerID);
            }

            return string.IsNullOrEmpty(last?.ContainerID)
                ? Refuse($"container \"{container}\" in pod \"{podName}\" is terminated")
                : Pick(last.ContainerID);
        }

        if (last is not null)
        {
            return string.IsNullOrEmpty(last.ContainerID)
                ? Refuse($"container \"{container}\" in pod \"{podName}\" is terminated")
                : Pick(last.ContainerID);
        }

        if (state?.Waiting is { } waiting)
        {
            return waiting.Reason switch
            {
                "ErrImagePull" => Refuse($"container \"{container}\" in pod \"{podName}\" is waiting to start: image can't be pulled"),
                "ImagePullBackOff" => Refuse($"container \"{container}\" in pod \"{podName}\" is waiting to start: trying and failing to pull image"),
                var reason => Refuse($"container \"{container}\" in pod \"{podName}\" is waiting to start: {reason}"),
            };
        }

        return Refuse($"container \"{container}\" in pod \"{podName}\" is waiting to start - no logs yet");
    }

    /// <summary>The runtime's ID from a status container ID such as "containerd://0123abcd" (upstream's ParseContainerID).</summary>
    public static string RuntimeId(string containerId)
    {
        var separator = containerId.IndexOf("://", StringComparison.Ordinal);
        return separator < 0 ? containerId : containerId[(separator + 3)..];
    }

    private static ContainerStatus? Find(IList<ContainerStatus>? statuses, string name) => statuses?.FirstOrDefault(s => s.Name == name);

    private static ContainerLogSelection Pick(string containerId) => new(RuntimeId(containerId), null);

    private static ContainerLogSelection Refuse(string message) => new(null, message);
}
