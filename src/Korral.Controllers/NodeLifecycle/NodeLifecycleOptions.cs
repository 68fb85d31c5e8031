namespace Korral.Controllers.NodeLifecycle;

/// <summary>
/// Settings of <see cref="NodeLifecycleController"/>, with kube-controller-manager 1.33's flag names and defaults.
/// Tests shorten the grace periods; production uses the defaults.
/// </summary>
public sealed record NodeLifecycleOptions
{
    /// <summary>
    /// --node-monitor-grace-period (50 s since 1.32; 40 s before): how long a running node may go without renewing its
    /// Lease or posting status before its conditions become Unknown.
    /// </summary>
    public TimeSpan NodeMonitorGracePeriod { get; init; } = TimeSpan.FromSeconds(50);

    /// <summary>--node-startup-grace-period (60 s): the same for a node that has never posted a Ready condition.</summary>
    public TimeSpan NodeStartupGracePeriod { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>--node-eviction-rate (0.1): nodes per second that get a NoExecute taint in a healthy zone (burst 1).</summary>
    public double NodeEvictionRate { get; init; } = 0.1;

    /// <summary>
    /// --secondary-node-eviction-rate (0.01): the rate in a partially disrupted zone of more than
    /// <see cref="LargeClusterSizeThreshold"/> nodes; smaller zones stop tainting altogether.
    /// </summary>
    public double SecondaryNodeEvictionRate { get; init; } = 0.01;

    /// <summary>--large-cluster-size-threshold (50).</summary>
    public int LargeClusterSizeThreshold { get; init; } = 50;

    /// <summary>
    /// --unhealthy-zone-threshold (0.55): a zone with at least this share of not-Ready nodes (and more than two of them)
    /// is partially disrupted.
    /// </summary>
    public double UnhealthyZoneThreshold { get; init; } = 0.55;

    /// <summary>Pod workers that mark pods newly bound to a not-Ready node (upstream: 4).</summary>
    public int PodWorkers { get; init; } = 4;

    /// <summary>Every problem with these options, each saying how to fix it; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (NodeMonitorGracePeriod <= TimeSpan.Zero || NodeStartupGracePeriod <= TimeSpan.Zero)
        {
            errors.Add("--node-monitor-grace-period and --node-startup-grace-period must be positive");
        }

        if (NodeEvictionRate < 0 || SecondaryNodeEvictionRate < 0)
        {
            errors.Add("--node-eviction-rate and --secondary-node-eviction-rate must not be negative");
        }

        if (UnhealthyZoneThreshold is <= 0 or > 1)
        {
            errors.Add($"--unhealthy-zone-threshold must be in (0, 1] (got {UnhealthyZoneThreshold})");
        }

        if (LargeClusterSizeThreshold < 0 || PodWorkers < 1)
        {
            errors.Add("--large-cluster-size-threshold must not be negative and pod workers must be at least 1");
        }

        return errors;
    }
}
