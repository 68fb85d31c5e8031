using Korral.Kubelet.Cri;
using Korral.Kubelet.Cri.V1;
using Korral.Kubelet.Translation;

namespace Korral.Kubelet.Streaming;

/// <summary>
/// What a streaming session runs against, asked of the runtime at the moment (as upstream's kubelet asks its runtime
/// for running pods): a pod's running container of a name, or its ready sandbox for port-forward.
/// </summary>
internal static class RuntimeTargets
{
    /// <summary>The newest running container named <paramref name="container"/> of the pod, or null.</summary>
    public static async Task<Container?> RunningContainerAsync(IRuntimeService runtime, string podUid, string container, CancellationToken cancellationToken)
    {
        var filter = new ContainerFilter { State = new ContainerStateValue { State = ContainerState.ContainerRunning } };
        filter.LabelSelector.Add(KubeletLabels.PodUid, podUid);
        filter.LabelSelector.Add(KubeletLabels.ContainerName, container);
        var listed = await runtime.ListContainersAsync(new ListContainersRequest { Filter = filter }, cancellationToken);
        return listed.Containers.OrderByDescending(c => c.CreatedAt).FirstOrDefault();
    }

    /// <summary>The pod's newest ready sandbox (whose network namespace port-forward connects in), or null.</summary>
    public static async Task<PodSandbox?> ReadySandboxAsync(IRuntimeService runtime, string podUid, CancellationToken cancellationToken)
    {
        var filter = new PodSandboxFilter { State = new PodSandboxStateValue { State = PodSandboxState.SandboxReady } };
        filter.LabelSelector.Add(KubeletLabels.PodUid, podUid);
        var listed = await runtime.ListPodSandboxAsync(new ListPodSandboxRequest { Filter = filter }, cancellationToken);
        return listed.Items.OrderByDescending(s => s.CreatedAt).FirstOrDefault();
    }
}
