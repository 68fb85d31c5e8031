namespace Korral.Kubelet.Translation;

/// <summary>
/// The label and annotation keys the kubelet puts on CRI sandboxes and containers (upstream's names), so that pods and
/// containers can be recognised in ListPodSandbox/ListContainers after a restart.
/// </summary>
public static class KubeletLabels
{
    public const string PodName = "io.kubernetes.pod.name";
    public const string PodNamespace = "io.kubernetes.pod.namespace";
    public const string PodUid = "io.kubernetes.pod.uid";
    public const string ContainerName = "io.kubernetes.container.name";

    /// <summary>Annotation: the container hash (<see cref="ContainerHash"/>) in lower-case hex.</summary>
    public const string ContainerHash = "io.kubernetes.container.hash";
    public const string ContainerRestartCount = "io.kubernetes.container.restartCount";
    public const string ContainerTerminationMessagePath = "io.kubernetes.container.terminationMessagePath";
    public const string ContainerTerminationMessagePolicy = "io.kubernetes.container.terminationMessagePolicy";
    public const string ContainerPreStopHandler = "io.kubernetes.container.preStopHandler";
    public const string ContainerPorts = "io.kubernetes.container.ports";

    /// <summary>Annotation: "container", "init" or "ephemeral".</summary>
    public const string ContainerType = "io.kubernetes.container.type";
    public const string PodDeletionGracePeriod = "io.kubernetes.pod.deletionGracePeriod";
    public const string PodTerminationGracePeriod = "io.kubernetes.pod.terminationGracePeriod";
}
