using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Cri.V1;

namespace Korral.Kubelet.Translation;

/// <summary>
/// The Linux namespaces of a pod's sandbox and containers (upstream's NamespacesForPod): network and IPC are the pod's
/// unless hostNetwork/hostIPC, PID is the container's own unless hostPID (node) or shareProcessNamespace (pod).
/// </summary>
/// <remarks>
/// The PID mode must be sent explicitly: proto3's zero value is POD, which would put every container in the pause
/// process's PID namespace (see substrate.md). User namespaces are not supported here, so the mode is always NODE.
/// </remarks>
public static class PodNamespaces
{
    public static NamespaceOption ForPod(Pod pod)
    {
        var spec = pod.Spec;
        return new NamespaceOption
        {
            Network = spec?.HostNetwork == true ? NamespaceMode.Node : NamespaceMode.Pod,
            Ipc = spec?.HostIPC == true ? NamespaceMode.Node : NamespaceMode.Pod,
            Pid = spec?.HostPID == true ? NamespaceMode.Node
                : spec?.ShareProcessNamespace == true ? NamespaceMode.Pod
                : NamespaceMode.Container,
            UsernsOptions = new UserNamespace { Mode = NamespaceMode.Node },
        };
    }
}
