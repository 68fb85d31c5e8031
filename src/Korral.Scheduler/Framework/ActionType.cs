namespace Korral.Scheduler.Framework;

/// <summary>What happened to the object (flags: a node update can change labels and taints at once).</summary>
[Flags]
public enum ActionType
{
    None = 0,
    Add = 1 << 0,
    Delete = 1 << 1,
    UpdateNodeAllocatable = 1 << 2,
    UpdateNodeLabel = 1 << 3,
    UpdateNodeTaint = 1 << 4,
    UpdateNodeCondition = 1 << 5,
    UpdatePodLabel = 1 << 6,
    UpdatePodScaleDown = 1 << 7,
    UpdatePodTolerations = 1 << 8,
    UpdatePodSchedulingGates = 1 << 9,

    /// <summary>Any other update.</summary>
    UpdateOther = 1 << 10,
    Update = UpdateNodeAllocatable | UpdateNodeLabel | UpdateNodeTaint | UpdateNodeCondition | UpdatePodLabel | UpdatePodScaleDown
        | UpdatePodTolerations | UpdatePodSchedulingGates | UpdateOther,
    All = Add | Delete | Update,
}
