using Korral.Kubelet.Cri.V1;

namespace Korral.Kubelet.Pods;

/// <summary>One pod's sandboxes and containers as the runtime listed them (newest first).</summary>
public sealed record RuntimePod(string Uid, string Namespace, string Name, IReadOnlyList<PodSandbox> Sandboxes, IReadOnlyList<Container> Containers)
{
    /// <summary>The newest sandbox, or null.</summary>
    public PodSandbox? Sandbox => Sandboxes.Count == 0 ? null : Sandboxes[0];

    /// <summary>Whether anything of the pod still runs.</summary>
    public bool IsRunning =>
        Sandboxes.Any(s => s.State == PodSandboxState.SandboxReady) || Containers.Any(c => c.State is ContainerState.ContainerRunning or ContainerState.ContainerCreated);
}
