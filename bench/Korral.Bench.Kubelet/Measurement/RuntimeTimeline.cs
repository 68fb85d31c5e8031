namespace Korral.Bench.Kubelet.Measurement;

/// <summary>One pod's CRI calls as containerd logged them (its log has nanosecond UTC timestamps on this machine's clock).</summary>
public sealed record RuntimeTimeline
{
    public DateTimeOffset? RunPodSandboxStart { get; init; }

    public DateTimeOffset? RunPodSandboxEnd { get; init; }

    /// <summary>The sandbox's shim logged "starting signal loop": network set up and container record made, pause about to start.</summary>
    public DateTimeOffset? ShimStarted { get; init; }

    /// <summary>The PullImage of this pod's image between its sandbox and its container (policy Always; only when unambiguous).</summary>
    public DateTimeOffset? PullStart { get; init; }

    public DateTimeOffset? PullEnd { get; init; }

    public DateTimeOffset? CreateContainerStart { get; init; }

    public DateTimeOffset? CreateContainerEnd { get; init; }

    public DateTimeOffset? StartContainerStart { get; init; }

    public DateTimeOffset? StartContainerEnd { get; init; }

    public DateTimeOffset? StopContainerStart { get; init; }

    public DateTimeOffset? StopContainerEnd { get; init; }

    public DateTimeOffset? StopPodSandboxStart { get; init; }

    public DateTimeOffset? StopPodSandboxEnd { get; init; }

    public DateTimeOffset? RemovePodSandboxEnd { get; init; }
}
