namespace Korral.Scheduler.Framework;

/// <summary>A pod in the scheduling queue, with what the queue needs to order it and back it off.</summary>
public sealed class QueuedPodInfo(PodInfo pod, DateTimeOffset timestamp)
{
    /// <summary>The latest version of the pod (updates replace it).</summary>
    public PodInfo Pod { get; set; } = pod;

    /// <summary>When the pod was last added to the queue (orders pods of equal priority).</summary>
    public DateTimeOffset Timestamp { get; set; } = timestamp;

    /// <summary>When the pod was first added; the scheduling latency is measured from here.</summary>
    public DateTimeOffset InitialAttemptTimestamp { get; set; } = timestamp;

    /// <summary>Scheduling attempts so far (the backoff doubles with each).</summary>
    public int Attempts { get; set; }

    /// <summary>Plugins that rejected the pod in its last attempt: only cluster events they care about move it.</summary>
    public HashSet<string> UnschedulablePlugins { get; } = new(StringComparer.Ordinal);

    /// <summary>Plugins that keep the pod out of the active queue (PreEnqueue said Pending).</summary>
    public HashSet<string> GatingPlugins { get; } = new(StringComparer.Ordinal);

    /// <summary>When the pod went into the unschedulable set.</summary>
    public DateTimeOffset UnschedulableSince { get; set; }

    /// <summary>True when the last attempt ended in an error rather than a rejection (always backs off).</summary>
    public bool LastAttemptFailed { get; set; }

    public override string ToString() => $"{Pod.Key} (attempts {Attempts})";
}
