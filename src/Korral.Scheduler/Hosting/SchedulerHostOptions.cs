using Korral.Scheduler.Scheduling;

namespace Korral.Scheduler.Hosting;

/// <summary>How a scheduler process runs: leader election (upstream kube-scheduler's flags and defaults) and the scheduler's own options.</summary>
public sealed record SchedulerHostOptions
{
    /// <summary>--leader-elect (true): without it the scheduler runs at once (only safe when it is the only one).</summary>
    public bool LeaderElect { get; init; } = true;

    public string LeaseNamespace { get; init; } = "kube-system";

    /// <summary>Upstream: kube-scheduler.</summary>
    public string LeaseName { get; init; } = "kube-scheduler";

    /// <summary>Upstream's <c>hostname_uuid</c>.</summary>
    public string Identity { get; init; } = $"{Environment.MachineName}_{Guid.NewGuid()}";

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    public SchedulerOptions Scheduler { get; init; } = new();

    /// <summary>Told each time a term starts with the scheduler of that term (tests, benchmarks).</summary>
    public Action<Scheduling.Scheduler>? OnStarted { get; init; }
}
