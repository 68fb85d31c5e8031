namespace Korral.Api.Resources;

/// <summary>The resources the server serves, in discovery order (preferred version of each group first).</summary>
public interface IResourceCatalog
{
    IReadOnlyList<ResourceInfo> All { get; }

    /// <summary>
    /// The served groups in discovery order (core group first, then /apis order), each with its versions,
    /// preferred first. Derived from the order of <see cref="All"/>.
    /// </summary>
    IReadOnlyList<ApiGroupInfo> Groups { get; }

    /// <summary>Finds a resource by group, version and plural name.</summary>
    ResourceInfo? Find(string group, string version, string plural);

    /// <summary>Finds a resource by group, version and kind.</summary>
    ResourceInfo? FindByKind(string group, string version, string kind);

    /// <summary>The resources of one group version, in discovery order; empty when the version is not served.</summary>
    IReadOnlyList<ResourceInfo> ForGroupVersion(string group, string version);
}
