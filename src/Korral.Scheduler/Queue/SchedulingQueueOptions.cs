namespace Korral.Scheduler.Queue;

/// <summary>Backoff and flush settings of the scheduling queue (upstream kube-scheduler defaults).</summary>
public sealed record SchedulingQueueOptions
{
    /// <summary>First retry delay after a failed attempt (upstream podInitialBackoffSeconds: 1).</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of the doubling backoff (upstream podMaxBackoffSeconds: 10).</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Unschedulable pods are retried after this long even without a relevant event (upstream: 5 minutes).</summary>
    public TimeSpan MaxInUnschedulablePods { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often leftover unschedulable pods are looked at (upstream: 30 s).</summary>
    public TimeSpan UnschedulableFlushInterval { get; init; } = TimeSpan.FromSeconds(30);

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (InitialBackoff <= TimeSpan.Zero || MaxBackoff < InitialBackoff)
        {
            errors.Add("pod backoff: the initial backoff must be positive and not above the maximum");
        }

        if (MaxInUnschedulablePods <= TimeSpan.Zero || UnschedulableFlushInterval <= TimeSpan.Zero)
        {
            errors.Add("unschedulable pod flush settings must be positive");
        }

        return errors;
    }
}
