using Korral.Kubelet.Cri.V1;

namespace Korral.Kubelet.Pods;

/// <summary>
/// What the runtime and the pod worker know about one pod at a moment: the newest sandbox, every CRI container of the pod
/// (all attempts, newest attempt wins per name), and why a container that has no running attempt is waiting (image pull
/// failures, back-off, config errors) — the input from which the pod's API status is computed.
/// </summary>
/// <param name="Sandbox">The newest sandbox's status, or null before one was created.</param>
/// <param name="Containers">CRI statuses of the pod's containers and init containers, any attempt.</param>
/// <param name="Waiting">Per container name: the waiting reason the worker recorded (ErrImagePull, ImagePullBackOff,
/// CrashLoopBackOff, CreateContainerConfigError, CreateContainerError, ContainerCreating, PodInitializing...).</param>
public sealed record PodRuntimeState(
    PodSandboxStatus? Sandbox,
    IReadOnlyList<ContainerStatus> Containers,
    IReadOnlyDictionary<string, ContainerWaiting> Waiting)
{
    /// <summary>Containers whose readiness probe passed for their current attempt (null: no prober runs).</summary>
    public IReadOnlySet<string>? ReadyContainers { get; init; }

    /// <summary>Containers whose startup probe passed for their current attempt (null: no prober runs).</summary>
    public IReadOnlySet<string>? StartedContainers { get; init; }
}
