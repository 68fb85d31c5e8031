using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Cri.V1;

namespace Korral.Kubelet.Pods;

/// <summary>What the worker remembers about one pod between syncs (never shared between two syncs of it at once).</summary>
public sealed class PodWork
{
    /// <summary>Per container name, why it waits (image pull failures, back-off, config errors).</summary>
    public Dictionary<string, ContainerWaiting> Waiting { get; } = new(StringComparer.Ordinal);

    /// <summary>The sandbox config the current sandbox was created with (CreateContainer needs it again).</summary>
    public PodSandboxConfig? SandboxConfig { get; set; }

    /// <summary>The sandbox <see cref="SandboxConfig"/> belongs to.</summary>
    public string? SandboxId { get; set; }

    /// <summary>When the pod's volumes were last set up or refreshed (null: not yet).</summary>
    public DateTimeOffset? VolumesReadyAt { get; set; }

    /// <summary>The status last written (or read back), to write only changes.</summary>
    public PodStatus? LastStatus { get; set; }

    /// <summary>The grace period the pod's containers are being stopped with (null: not stopping).</summary>
    public TimeSpan? StoppingGrace { get; set; }

    /// <summary>Whether this kubelet already confirmed the pod's deletion.</summary>
    public bool DeletionConfirmed { get; set; }
}
