namespace Korral.Scheduler.Framework;

/// <summary>What a plugin says about a pod (upstream framework.Code, same meanings).</summary>
public enum StatusCode
{
    /// <summary>The plugin ran and the pod may go on.</summary>
    Success,

    /// <summary>An internal error: the pod is retried with backoff; no node is blamed.</summary>
    Error,

    /// <summary>The pod does not fit this node now; preemption might help.</summary>
    Unschedulable,

    /// <summary>The pod does not fit this node and preemption cannot change that (e.g. node affinity).</summary>
    UnschedulableAndUnresolvable,

    /// <summary>Permit only: hold the pod until it is allowed or times out.</summary>
    Wait,

    /// <summary>PreFilter/PreScore: nothing to do for this pod; the plugin's Filter/Score is skipped.</summary>
    Skip,

    /// <summary>PreEnqueue only: the pod waits outside the active queue (scheduling gates).</summary>
    Pending,
}
