namespace Korral.Client.Informers;

/// <summary>What an informer watches and how it recovers; the defaults follow upstream's reflector.</summary>
public sealed record InformerOptions
{
    /// <summary>Only this namespace (null: all namespaces, or a cluster-scoped resource).</summary>
    public string? Namespace { get; init; }

    /// <summary>Only objects matching this label selector.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>Only objects matching this field selector (e.g. "spec.nodeName=node-1" for a kubelet).</summary>
    public string? FieldSelector { get; init; }

    /// <summary>
    /// Every this long, handlers get OnUpdate(obj, obj) for every cached object (null: never, the default). For
    /// controllers that must re-check state the API does not tell them about.
    /// </summary>
    public TimeSpan? ResyncPeriod { get; init; }

    /// <summary>The page size of lists (limit/continue), so that a list of 100k objects is not one response (default 500).</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>A watch asks the server to end it after between this and twice this (timeoutSeconds; default 5 min), spreading reconnects.</summary>
    public TimeSpan MinWatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>First delay after a failed list or watch; doubles (with jitter) up to <see cref="MaxBackoff"/> (upstream 800 ms → 30 s).</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(800);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Clock for backoff, resync and watch timeouts.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where the informer says why it relists or backs off; null: nowhere.</summary>
    public Action<string>? Log { get; init; }

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (PageSize < 0)
        {
            errors.Add($"page size {PageSize} must be 0 (no paging) or more");
        }

        if (ResyncPeriod is { } resync && resync <= TimeSpan.Zero)
        {
            errors.Add($"resync period {resync} must be positive, or null for none");
        }

        if (MinWatchTimeout < TimeSpan.FromSeconds(1))
        {
            errors.Add($"min watch timeout {MinWatchTimeout} must be at least 1 s");
        }

        if (InitialBackoff <= TimeSpan.Zero || MaxBackoff < InitialBackoff)
        {
            errors.Add($"backoff must satisfy 0 < initial ({InitialBackoff}) <= max ({MaxBackoff})");
        }

        return errors;
    }
}
