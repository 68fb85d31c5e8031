using System.Collections.Frozen;

namespace Korral.Api.Resources;

/// <summary>
/// An immutable <see cref="IResourceCatalog"/> over a fixed list of resources. The order of the list is the
/// discovery order: groups appear in /apis in the order of their first resource, versions within a group in the
/// order of their first resource (so list the preferred version first), resources within a version as listed.
/// Combine catalogs (built-ins plus custom resources) by building a new one from the concatenated lists.
/// </summary>
public class ResourceCatalog : IResourceCatalog
{
    private readonly FrozenDictionary<(string Group, string Version, string Plural), ResourceInfo> _byPlural;
    private readonly FrozenDictionary<(string Group, string Version, string Kind), ResourceInfo> _byKind;
    private readonly FrozenDictionary<(string Group, string Version), IReadOnlyList<ResourceInfo>> _byGroupVersion;

    public ResourceCatalog(IEnumerable<ResourceInfo> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var all = resources.ToArray();

        var byPlural = new Dictionary<(string, string, string), ResourceInfo>();
        var byKind = new Dictionary<(string, string, string), ResourceInfo>();
        var byGroupVersion = new Dictionary<(string, string), List<ResourceInfo>>();
        var groupOrder = new List<string>();
        var versionsByGroup = new Dictionary<string, List<string>>();

        foreach (var resource in all)
        {
            if (!byPlural.TryAdd((resource.Group, resource.Version, resource.Plural), resource))
            {
                throw new ArgumentException(
                    $"Resource '{resource.Plural}' is listed twice in {resource.GroupVersion}.", nameof(resources));
            }

            // Several resources may share a kind in principle; the first one listed answers FindByKind.
            byKind.TryAdd((resource.Group, resource.Version, resource.Kind), resource);

            if (!versionsByGroup.TryGetValue(resource.Group, out var versions))
            {
                versions = [];
                versionsByGroup.Add(resource.Group, versions);
                groupOrder.Add(resource.Group);
            }

            if (!byGroupVersion.TryGetValue((resource.Group, resource.Version), out var inVersion))
            {
                inVersion = [];
                byGroupVersion.Add((resource.Group, resource.Version), inVersion);
                versions.Add(resource.Version);
            }

            inVersion.Add(resource);
        }

        // The core group is always served first (under /api), whatever the input order.
        if (groupOrder.Remove(""))
        {
            groupOrder.Insert(0, "");
        }

        All = all;
        Groups = groupOrder.Select(g => new ApiGroupInfo(g, versionsByGroup[g].ToArray())).ToArray();
        _byPlural = byPlural.ToFrozenDictionary();
        _byKind = byKind.ToFrozenDictionary();
        _byGroupVersion = byGroupVersion.ToFrozenDictionary(p => p.Key, p => (IReadOnlyList<ResourceInfo>)p.Value.ToArray());
    }

    public IReadOnlyList<ResourceInfo> All { get; }

    public IReadOnlyList<ApiGroupInfo> Groups { get; }

    public ResourceInfo? Find(string group, string version, string plural) =>
        _byPlural.GetValueOrDefault((group, version, plural));

    public ResourceInfo? FindByKind(string group, string version, string kind) =>
        _byKind.GetValueOrDefault((group, version, kind));

    public IReadOnlyList<ResourceInfo> ForGroupVersion(string group, string version) =>
        _byGroupVersion.TryGetValue((group, version), out var resources) ? resources : [];

    /// <summary>The group with this name, or null when it is not served.</summary>
    public ApiGroupInfo? FindGroup(string group) => Groups.FirstOrDefault(g => g.Name == group);
}
