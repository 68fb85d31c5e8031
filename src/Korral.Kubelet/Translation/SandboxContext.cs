namespace Korral.Kubelet.Translation;

/// <summary>
/// What a pod sandbox needs beyond the pod: the node's DNS settings, the pod log root, the attempt (0 for the first
/// sandbox of a pod, one more for each replacement) and the pod's cgroup parent (e.g. <c>/kubepods/besteffort/pod&lt;uid&gt;</c>).
/// </summary>
public sealed record SandboxContext(DnsContext Dns, uint Attempt, string CgroupParent, string PodLogsRoot = PodLogPaths.DefaultRoot);
