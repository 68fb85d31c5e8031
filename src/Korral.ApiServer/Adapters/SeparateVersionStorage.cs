using Korral.Api.Resources;

namespace Korral.ApiServer.Adapters;

/// <summary>
/// Upstream keeps some kinds of two versions in one store prefix and converts between them (Events of core/v1 and
/// events.k8s.io/v1; HorizontalPodAutoscalers of autoscaling/v2 and v1). Until Korral converts between versions,
/// each version after the first keeps its objects under its own prefix, so that no reader ever gets an object in a
/// shape its version does not have.
/// </summary>
public static class SeparateVersionStorage
{
    public static IResourceCatalog Apply(IResourceCatalog catalog)
    {
        var owners = new Dictionary<string, ResourceInfo>(StringComparer.Ordinal);
        var resources = new List<ResourceInfo>(catalog.All.Count);
        foreach (var r in catalog.All)
        {
            if (r.StoragePrefix.Length == 0)
            {
                resources.Add(r);
                continue;
            }

            if (owners.TryGetValue(r.StoragePrefix, out var owner) && owner.GroupVersion != r.GroupVersion)
            {
                resources.Add(r with { StoragePrefix = $"/registry/{r.Group}/{r.Version}/{r.Plural}/" });
                continue;
            }

            owners.TryAdd(r.StoragePrefix, r);
            resources.Add(r);
        }

        return new ResourceCatalog(resources);
    }
}
