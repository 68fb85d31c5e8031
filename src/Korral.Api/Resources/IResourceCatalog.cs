namespace Korral.Api.Resources;

/// <summary>The resources the server serves, in discovery order (preferred version of each group first).</summary>
public interface IResourceCatalog
{
    IReadOnlyList<ResourceInfo> All { get; }

    /// <summary>Finds a resource by group, version and plural name.</summary>
    ResourceInfo? Find(string group, string version, string plural);

    /// <summary>Finds a resource by group, version and kind.</summary>
    ResourceInfo? FindByKind(string group, string version, string kind);
}
