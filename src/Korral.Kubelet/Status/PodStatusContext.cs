using Korral.Api.Models.CoreV1;

namespace Korral.Kubelet.Status;

/// <summary>What <see cref="PodStatusBuilder"/> needs besides the pod and its runtime state.</summary>
public sealed record PodStatusContext
{
    /// <summary>The node's IPs, primary first (at most one per family). Empty leaves hostIP unset, as upstream does when it
    /// cannot tell them.</summary>
    public required IReadOnlyList<string> HostIPs { get; init; }

    /// <summary>The time of this computation: a condition that changes status and a first startTime get it.</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>
    /// Names of containers whose readiness probe last succeeded (for the current attempt: the caller forgets a name when its
    /// container restarts). A running, started container without a readinessProbe is always ready; one with a probe is
    /// ready only when named here, so null (no probe manager) reads as "no probe has passed yet".
    /// </summary>
    public IReadOnlySet<string>? ReadyContainers { get; init; }

    /// <summary>Names of containers whose startupProbe succeeded, with the same rules as <see cref="ReadyContainers"/>: a
    /// running container without a startupProbe is started at once.</summary>
    public IReadOnlySet<string>? StartedContainers { get; init; }

    /// <summary>
    /// True once the pod worker stops the pod for good (deleted, evicted, past its active deadline) and has killed its
    /// containers: none of them will restart, so containers that all stopped make the phase Succeeded or Failed whatever
    /// the restartPolicy (upstream's podIsTerminal). A pod merely marked for deletion whose containers still run is not
    /// terminal yet; its deletionTimestamp alone already stops waiting reasons from showing.
    /// </summary>
    public bool PodIsTerminal { get; init; }

    /// <summary>The status this kubelet computed last for the pod (its status cache), if it has one that may not have
    /// reached the API server yet; null uses the pod's status from the API as the previous status.</summary>
    public PodStatus? Previous { get; init; }

    /// <summary>The runtime's name as its Version call reports it: the scheme of containerIDs ("containerd://…").</summary>
    public string RuntimeName { get; init; } = "containerd";
}
