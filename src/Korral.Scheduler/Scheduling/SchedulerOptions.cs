using Korral.Scheduler.Plugins;
using Korral.Scheduler.Queue;

namespace Korral.Scheduler.Scheduling;

/// <summary>The scheduler's settings, with upstream kube-scheduler's defaults.</summary>
public sealed record SchedulerOptions
{
    /// <summary>Pods whose <c>spec.schedulerName</c> is this are ours; others are left to their scheduler.</summary>
    public string SchedulerName { get; init; } = Runtime.SchedulingFramework.DefaultSchedulerName;

    /// <summary>
    /// Share of nodes to find feasible before scoring; 0 means adaptive as upstream (50% minus 1% per 125 nodes, at least
    /// 5%, never fewer than 100 nodes).
    /// </summary>
    public int PercentageOfNodesToScore { get; init; }

    /// <summary>Threads used to filter and score nodes (upstream parallelism: 16; here the cores).</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Binding calls in flight at once; each is an HTTP request, so many overlap to use the store's group commit.</summary>
    public int MaxConcurrentBindings { get; init; } = 256;

    public IReadOnlyList<PluginEntry> Plugins { get; init; } = PluginRegistry.Default;

    public SchedulingQueueOptions Queue { get; init; } = new();

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public Action<string> Log { get; init; } = _ => { };

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>(Queue.Validate());
        if (PercentageOfNodesToScore is < 0 or > 100)
        {
            errors.Add($"percentageOfNodesToScore must be between 0 and 100 (got {PercentageOfNodesToScore})");
        }

        if (Parallelism < 1 || MaxConcurrentBindings < 1)
        {
            errors.Add("parallelism and concurrent bindings must be at least 1");
        }

        if (string.IsNullOrWhiteSpace(SchedulerName))
        {
            errors.Add("the scheduler name must not be empty");
        }

        return errors;
    }
}
