namespace Korral.Bench.Kubelet.Measurement;

/// <summary>
/// What happened to one measured pod, on this machine's clock (UTC): the benchmark's own requests, what its watch saw
/// and when, and (filled in afterwards from containerd's log) what the node's runtime did for it.
/// </summary>
public sealed class PodTimeline(string name, string scenario)
{
    public string Name { get; } = name;

    /// <summary>Which measurement the pod belongs to (warm-up, sequential, parallel) and its variant.</summary>
    public string Scenario { get; } = scenario;

    public string? Uid { get; set; }

    public string? PullPolicy { get; set; }

    public DateTimeOffset CreateSent { get; set; }

    public DateTimeOffset? CreateReturned { get; set; }

    /// <summary>metadata.creationTimestamp: whole seconds, as upstream's API serializes it.</summary>
    public DateTimeOffset? CreationTimestamp { get; set; }

    /// <summary>The watch first saw spec.nodeName set.</summary>
    public DateTimeOffset? Scheduled { get; set; }

    /// <summary>The watch first saw phase Running with every container in state running (upstream's "observed via watch").</summary>
    public DateTimeOffset? Running { get; set; }

    /// <summary>The newest containerStatuses[].state.running.startedAt (whole seconds).</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>Watch events of the pod up to the one that showed it running (created, bound, then the kubelet's status writes).</summary>
    public int EventsUntilRunning { get; set; }

    public DateTimeOffset? DeleteSent { get; set; }

    /// <summary>The watch saw the pod's DELETED event: the object is gone from the API.</summary>
    public DateTimeOffset? Gone { get; set; }

    public RuntimeTimeline? Runtime { get; set; }

    /// <summary>Startup latency: the create request sent → seen running through the watch (sub-millisecond clock).</summary>
    public TimeSpan? Startup => Running - CreateSent;

    /// <summary>Upstream's computation: creationTimestamp (truncated to the second) → seen running.</summary>
    public TimeSpan? StartupFromCreationTimestamp => Running - CreationTimestamp;

    public TimeSpan? DeleteToGone => Gone - DeleteSent;
}
