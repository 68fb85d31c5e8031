namespace Korral.Kubelet.Status;

/// <summary>The reasons and condition types the kubelet writes into pod status, spelled as upstream does.</summary>
internal static class StatusReasons
{
    // Default waiting reasons of a container that has no runtime status yet.
    public const string ContainerCreating = "ContainerCreating";
    public const string PodInitializing = "PodInitializing";

    // Terminated reasons the runtime leaves empty; containerd normally sets them itself.
    public const string Completed = "Completed";
    public const string Error = "Error";

    // A container that vanished from the runtime while the kubelet still thought it ran.
    public const string ContainerStatusUnknown = "ContainerStatusUnknown";
    public const string VanishedWhenTerminated = "The container could not be located when the pod was terminated";
    public const string VanishedWhenDeleted = "The container could not be located when the pod was deleted.  The container used to be Running";
    public const int VanishedExitCode = 137;

    // Condition reasons.
    public const string PodCompleted = "PodCompleted";
    public const string PodFailed = "PodFailed";
    public const string ContainersNotReady = "ContainersNotReady";
    public const string ContainersNotInitialized = "ContainersNotInitialized";
    public const string ReadinessGatesNotReady = "ReadinessGatesNotReady";

    // Condition types.
    public const string PodScheduled = "PodScheduled";
    public const string Ready = "Ready";
    public const string Initialized = "Initialized";
    public const string ContainersReady = "ContainersReady";
    public const string PodReadyToStartContainers = "PodReadyToStartContainers";
    public const string DisruptionTarget = "DisruptionTarget";

    public const string True = "True";
    public const string False = "False";

    // Phases.
    public const string Pending = "Pending";
    public const string Running = "Running";
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";

    /// <summary>Conditions the kubelet generates on every sync and so owns outright.</summary>
    public static bool OwnedByKubelet(string? type) =>
        type is PodScheduled or Ready or Initialized or ContainersReady or PodReadyToStartContainers;

    /// <summary>Conditions the kubelet may set but others may too (eviction, node shutdown).</summary>
    public static bool SharedByKubelet(string? type) => type is DisruptionTarget;

    public static bool IsTerminal(string? phase) => phase is Succeeded or Failed;
}
