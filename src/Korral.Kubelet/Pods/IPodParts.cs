using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Cri.V1;

namespace Korral.Kubelet.Pods;

/// <summary>
/// The pieces of a pod sync that are not the sync's own control flow: turning the pod into CRI configs, its volumes,
/// its status, and its files on the node. <see cref="PodSyncer"/> calls them; tests of the control flow may fake them.
/// </summary>
public interface IPodParts
{
    /// <summary>The sandbox config for the pod's sandbox attempt <paramref name="attempt"/>.</summary>
    PodSandboxConfig SandboxConfig(Pod pod, uint attempt);

    /// <summary>Sets up (or refreshes) the pod's volumes; returns the FailedMount message on failure, else null.</summary>
    Task<string?> SetUpVolumesAsync(Pod pod, CancellationToken cancellationToken);

    /// <summary>Writes the pod's own /etc/hosts once its sandbox has an IP.</summary>
    Task WriteHostsFileAsync(Pod pod, string? podIp, CancellationToken cancellationToken);

    /// <summary>The container's CRI config, or the CreateContainerConfigError message (e.g. a missing ConfigMap).</summary>
    Task<(ContainerConfig? Config, string? Error)> ContainerConfigAsync(Pod pod, Korral.Api.Models.CoreV1.Container container, uint attempt, string imageRef,
        string? podIp, CancellationToken cancellationToken);

    /// <summary>
    /// The pod's API status from its runtime state; <paramref name="previous"/> is the status last computed (null: the
    /// pod's own); <paramref name="terminal"/> once the pod was stopped for good (deleted, finished).
    /// </summary>
    PodStatus BuildStatus(Pod pod, PodRuntimeState state, PodStatus? previous, bool terminal);

    /// <summary>The status patch (strategic merge) turning the pod's current status into <paramref name="next"/>; null when equal.</summary>
    string? StatusPatch(Pod pod, PodStatus next);

    /// <summary>The termination message of an exited container (its file, or its log tail with FallbackToLogsOnError).</summary>
    string? TerminationMessage(Pod pod, Korral.Api.Models.CoreV1.Container container, Korral.Kubelet.Cri.V1.ContainerStatus status);

    /// <summary>Removes volumes and cgroups of pods that are neither known to the API nor to the runtime (left by a crash).</summary>
    Task CleanUpOrphansAsync(IReadOnlySet<string> livePodUids, CancellationToken cancellationToken);

    /// <summary>Removes the pod's volumes, cgroups, files and log directory once nothing of it runs.</summary>
    Task TearDownAsync(string uid, Pod? pod, CancellationToken cancellationToken);
}
