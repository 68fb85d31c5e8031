namespace Korral.Scheduler.Framework;

/// <summary>The kinds of objects whose changes the scheduling queue reacts to.</summary>
public enum EventResource
{
    /// <summary>A pod bound to a node (or assumed).</summary>
    AssignedPod,

    /// <summary>A pod not yet bound (its own updates, e.g. a scheduling gate removed).</summary>
    UnscheduledPod,
    Node,
    PersistentVolume,
    PersistentVolumeClaim,
    StorageClass,
    Namespace,
    PodDisruptionBudget,

    /// <summary>Any resource (registrations only).</summary>
    Wildcard,
}
