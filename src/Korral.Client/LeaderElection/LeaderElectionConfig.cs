namespace Korral.Client.LeaderElection;

/// <summary>
/// One candidate's view of a leader election on a coordination.k8s.io/v1 Lease. Timings are upstream's defaults and
/// constraints (LeaseDuration &gt; RenewDeadline &gt; 1.2 × RetryPeriod).
/// </summary>
public sealed record LeaderElectionConfig
{
    /// <summary>Namespace of the Lease (upstream components use kube-system).</summary>
    public required string LeaseNamespace { get; init; }

    /// <summary>Name of the Lease: one per elected component ("kube-controller-manager", "kube-scheduler").</summary>
    public required string LeaseName { get; init; }

    /// <summary>This candidate's holderIdentity: unique per process (upstream: hostname + "_" + a random uid).</summary>
    public required string Identity { get; init; }

    /// <summary>How long non-leaders wait after last seeing the lease change before they take it over (default 15 s).</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps trying to renew before it gives up leadership (default 10 s).</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often candidates try to acquire, and the leader to renew (default 2 s; acquisition jittered by up to 1.2×).</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// On cancellation of a leader, after its work has stopped, clear the holder so that a successor takes over at once
    /// instead of after <see cref="LeaseDuration"/> (default true; upstream's option defaults to false).
    /// </summary>
    public bool ReleaseOnCancel { get; init; } = true;

    /// <summary>Runs once leadership is acquired; its token is cancelled when leadership is lost or the elector stops. Must honour it.</summary>
    public Func<CancellationToken, Task>? OnStartedLeading { get; init; }

    /// <summary>Called when a candidate that led stops leading (lost the lease, or stopped).</summary>
    public Action? OnStoppedLeading { get; init; }

    /// <summary>Called whenever the observed leader changes (including to this candidate).</summary>
    public Action<string>? OnNewLeader { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public Action<string>? Log { get; init; }

    /// <summary>Jitter of the acquisition retries: up to this fraction of <see cref="RetryPeriod"/> is added (upstream JitterFactor).</summary>
    public const double JitterFactor = 1.2;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(LeaseNamespace) || string.IsNullOrWhiteSpace(LeaseName))
        {
            errors.Add("lease namespace and name must be set");
        }

        if (string.IsNullOrWhiteSpace(Identity))
        {
            errors.Add("identity must be set (unique per candidate, e.g. hostname_uid)");
        }

        if (LeaseDuration <= RenewDeadline)
        {
            errors.Add($"lease duration ({LeaseDuration}) must be greater than renew deadline ({RenewDeadline})");
        }

        if (RenewDeadline <= RetryPeriod * JitterFactor)
        {
            errors.Add($"renew deadline ({RenewDeadline}) must be greater than retry period × {JitterFactor} ({RetryPeriod * JitterFactor})");
        }

        if (RetryPeriod <= TimeSpan.Zero)
        {
            errors.Add($"retry period ({RetryPeriod}) must be positive");
        }

        if (LeaseDuration.TotalSeconds != Math.Floor(LeaseDuration.TotalSeconds))
        {
            errors.Add($"lease duration ({LeaseDuration}) must be whole seconds (leaseDurationSeconds)");
        }

        return errors;
    }
}
