namespace Korral.Client.Events;

/// <summary>Who records events and how they are aggregated and paced; defaults are upstream's (client-go tools/record).</summary>
public sealed record EventRecorderOptions
{
    /// <summary>source.component and reportingComponent: "replicaset-controller", "default-scheduler", "kubelet"…</summary>
    public required string Component { get; init; }

    /// <summary>source.host and reportingInstance: the node name for kubelets, empty for controllers.</summary>
    public string? Host { get; init; }

    /// <summary>Events waiting to be written; beyond this, new ones are dropped (upstream: 1000).</summary>
    public int QueueCapacity { get; init; } = 1000;

    /// <summary>
    /// An identical event (same object, type, reason, message, source) within this window of the previous one increments
    /// that Event's count by a PATCH instead of creating another; the same window drives aggregation (default 10 min).
    /// </summary>
    public TimeSpan AggregationWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// When one object gets this many events of one reason with different messages within the window, further ones are
    /// combined into one "(combined from similar events): …" Event (upstream: 10).
    /// </summary>
    public int MaxSimilarEvents { get; init; } = 10;

    /// <summary>How many distinct events and objects the aggregation caches remember (LRU; upstream: 4096).</summary>
    public int CacheSize { get; init; } = 4096;

    /// <summary>Per object and source: this many events at once (upstream: 25)…</summary>
    public int SpamBurst { get; init; } = 25;

    /// <summary>…then one more per this interval (upstream: one per 5 minutes); the rest are dropped.</summary>
    public TimeSpan SpamRefillInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Tries per event when the server cannot be reached or fails (5xx, 429) (upstream: 12).</summary>
    public int MaxWriteAttempts { get; init; } = 12;

    /// <summary>The wait between tries (upstream: 10 s; the first is jittered).</summary>
    public TimeSpan WriteRetryDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long disposal waits for queued events to be written before it drops them (default 10 s).</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where dropped and failed events are reported; null: nowhere.</summary>
    public Action<string>? Log { get; init; }

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Component))
        {
            errors.Add("component must name the recording component (e.g. replicaset-controller)");
        }

        if (QueueCapacity < 1 || CacheSize < 1 || SpamBurst < 1 || MaxSimilarEvents < 1 || MaxWriteAttempts < 1)
        {
            errors.Add("queue capacity, cache size, spam burst, max similar events and max write attempts must be at least 1");
        }

        if (AggregationWindow <= TimeSpan.Zero || SpamRefillInterval <= TimeSpan.Zero || WriteRetryDelay < TimeSpan.Zero)
        {
            errors.Add("aggregation window and spam refill interval must be positive, write retry delay not negative");
        }

        return errors;
    }
}
