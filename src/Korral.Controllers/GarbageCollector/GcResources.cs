using Korral.Api.Resources;

namespace Korral.Controllers.GarbageCollector;

/// <summary>Which resources of the catalog the garbage collector and the namespace controller work on.</summary>
public static class GcResources
{
    /// <summary>
    /// Every stored resource that can be listed, watched and deleted, one served version per stored resource (the
    /// preferred one, first in the catalog), without events (upstream's GC ignores them: they are many and never owners).
    /// </summary>
    public static IReadOnlyList<ResourceInfo> Collectable(IResourceCatalog catalog)
    {
        var seen = new HashSet<string>();
        var result = new List<ResourceInfo>();
        foreach (var r in catalog.All)
        {
            if (!r.IsStored || !r.Supports("list") || !r.Supports("watch") || !r.Supports("delete") || r.Kind == "Event" ||
                !seen.Add(r.StoragePrefix))
            {
                continue;
            }

            result.Add(r);
        }

        return result;
    }

    /// <summary>The resources a namespace holds: namespaced, stored, and deletable (one version each).</summary>
    public static IReadOnlyList<ResourceInfo> NamespacedContent(IResourceCatalog catalog)
    {
        var seen = new HashSet<string>();
        var result = new List<ResourceInfo>();
        foreach (var r in catalog.All)
        {
            if (r.Namespaced && r.IsStored && r.Supports("list") && r.Supports("delete") && seen.Add(r.StoragePrefix))
            {
                result.Add(r);
            }
        }

        return result;
    }

    /// <summary>"apps" from "apps/v1", "" from "v1".</summary>
    public static string GroupOf(string? apiVersion)
    {
        if (string.IsNullOrEmpty(apiVersion))
        {
            return "";
        }

        var slash = apiVersion.IndexOf('/');
        return slash < 0 ? "" : apiVersion[..slash];
    }
}
