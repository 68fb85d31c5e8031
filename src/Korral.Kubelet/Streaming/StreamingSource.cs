using Korral.Kubelet.Cri;
using Korral.Kubelet.Pods;

namespace Korral.Kubelet.Streaming;

/// <summary>
/// What the kubelet server's exec, attach and port-forward endpoints need of the node: the pods bound to it (looked up
/// by namespace and name, as upstream's pod manager does) and the container runtime, which finds the running
/// containers and sandboxes and hands out its streaming server's URLs.
/// </summary>
public sealed record StreamingSource(PodRegistry Pods, IRuntimeService Runtime);
