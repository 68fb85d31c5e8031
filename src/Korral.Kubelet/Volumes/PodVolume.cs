namespace Korral.Kubelet.Volumes;

/// <summary>One volume of a pod as set up on the node.</summary>
/// <param name="Name">The volume's name in the pod spec.</param>
/// <param name="Plugin">Upstream's plugin directory name (kubernetes.io~configmap, kubernetes.io~host-path...).</param>
/// <param name="HostPath">What containers mount: a directory under the pod directory, or a host path.</param>
/// <param name="ReadOnly">Mounted read-only whatever the volumeMount says (configMap, secret, downwardAPI,
/// projected; a claim mounted readOnly).</param>
/// <param name="IsFile">The host path is a single file (or socket or device), not a directory.</param>
public sealed record PodVolume(string Name, string Plugin, string HostPath, bool ReadOnly, bool IsFile);
