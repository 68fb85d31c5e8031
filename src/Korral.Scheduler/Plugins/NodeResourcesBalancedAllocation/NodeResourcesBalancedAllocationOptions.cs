using Korral.Scheduler.Plugins.NodeResourcesFit;

namespace Korral.Scheduler.Plugins.NodeResourcesBalancedAllocation;

/// <summary>NodeResourcesBalancedAllocation's settings (upstream's args): the resources to balance, cpu and memory by default.</summary>
public sealed record NodeResourcesBalancedAllocationOptions
{
    public IReadOnlyList<ResourceSpec> Resources { get; init; } = NodeResourcesFitOptions.DefaultResources;

    public IReadOnlyList<string> Validate() => [.. NodeResourcesFitOptions.ValidateResources(Resources, "resources")];
}
