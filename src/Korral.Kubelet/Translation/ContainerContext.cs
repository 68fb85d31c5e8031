using Korral.Kubelet.Cri.V1;

namespace Korral.Kubelet.Translation;

/// <summary>
/// What a container's CRI config needs beyond the pod and container spec.
/// </summary>
/// <param name="Environment">The resolved environment (<see cref="EnvironmentResolver.Resolve"/>); command and args are expanded against it.</param>
/// <param name="VolumeMounts">The container's volume mounts from the volume manager, in the order of its volumeMounts.</param>
/// <param name="ImageRef">The image to run as the pull resolved it (its id or digest reference); the spec's image goes along as the user-specified one.</param>
/// <param name="RestartCount">How many times the container ran before: the attempt, the log file's name and an annotation.</param>
/// <param name="ImageUser">The image's user from CRI ImageStatus (runAsUser default and the runAsNonRoot check).</param>
/// <param name="NodeMemoryCapacity">The node's memory capacity in bytes (Burstable oom_score_adj).</param>
/// <param name="PodIPs">The pod's IPs; with none (and no host network) the hosts file is not mounted, as upstream.</param>
public sealed record ContainerContext(
    IReadOnlyList<ResolvedEnvVar> Environment,
    IReadOnlyList<Mount> VolumeMounts,
    string ImageRef,
    int RestartCount,
    ImageUser ImageUser,
    long NodeMemoryCapacity,
    IReadOnlyList<string> PodIPs)
{
    /// <summary>
    /// The file the container's termination message is written to, created empty (mode 0666) by the caller under
    /// <c>&lt;kubelet dir&gt;/pods/&lt;uid&gt;/containers/&lt;name&gt;/&lt;random id&gt;</c>; null for no termination message mount.
    /// </summary>
    public string? TerminationMessageHostPath { get; init; }

    /// <summary>The pod's hosts file (<c>&lt;kubelet dir&gt;/pods/&lt;uid&gt;/etc-hosts</c>, see <see cref="HostsFile"/>); null for none.</summary>
    public string? EtcHostsHostPath { get; init; }

    /// <summary>Where Localhost seccomp profiles live (<c>&lt;kubelet dir&gt;/seccomp</c>).</summary>
    public string SeccompProfileRoot { get; init; } = "/var/lib/kubelet/seccomp";

    /// <summary>Cap memory+swap at the memory limit (cgroup v1 with a swap controller and swap off); see <see cref="LinuxResourceCalculator.ForContainer"/>.</summary>
    public bool LimitSwapToMemory { get; init; }
}
