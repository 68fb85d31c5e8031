using Korral.Api.Resources;
using Korral.ApiServer.Allocation;

namespace Korral.ApiServer.Strategies;

/// <summary>The strategies of the built-in kinds, one instance per resource.</summary>
public sealed class StrategyProvider : IStrategyProvider
{
    private readonly Dictionary<ResourceInfo, IResourceStrategy> _strategies = [];

    public StrategyProvider(IResourceCatalog catalog, IpAllocator serviceIps, PortAllocator nodePorts,
        Func<string, (long Value, string? PreemptionPolicy)?> priorityClasses, Func<string?>? defaultStorageClass = null)
    {
        foreach (var r in catalog.All)
        {
            _strategies[r] = (r.Group, r.Kind) switch
            {
                ("", "Pod") => new PodStrategy(r, priorityClasses),
                ("", "PersistentVolumeClaim") => new PersistentVolumeClaimStrategy(r, defaultStorageClass ?? (() => null)),
                ("", "PersistentVolume") => new PersistentVolumeStrategy(r),
                ("", "Service") => Services = new ServiceStrategy(r, serviceIps, nodePorts),
                ("", "Namespace") => new NamespaceStrategy(r),
                ("", "Event") or ("events.k8s.io", "Event") => new EventStrategy(r),
                _ => new DefaultStrategy(r),
            };
        }
    }

    /// <summary>The Service strategy, which start-up asks to restore the allocations of stored Services.</summary>
    public ServiceStrategy? Services { get; }

    public IResourceStrategy For(ResourceInfo resource) =>
        _strategies.TryGetValue(resource, out var s) ? s : new DefaultStrategy(resource);
}
