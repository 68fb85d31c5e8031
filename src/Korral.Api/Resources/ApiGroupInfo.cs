namespace Korral.Api.Resources;

/// <summary>
/// One API group as discovery lists it: its name ("" for the core group) and its served versions,
/// the preferred version first.
/// </summary>
public sealed record ApiGroupInfo
{
    public ApiGroupInfo(string name, IReadOnlyList<string> versions)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(versions);
        if (versions.Count == 0)
        {
            throw new ArgumentException($"API group '{name}' must serve at least one version.", nameof(versions));
        }

        Name = name;
        Versions = versions;
    }

    /// <summary>The group name, e.g. "apps"; "" for the core (legacy) group served under /api.</summary>
    public string Name { get; }

    /// <summary>Served versions, the preferred one first, e.g. ["v2", "v1"] for autoscaling.</summary>
    public IReadOnlyList<string> Versions { get; }

    public string PreferredVersion => Versions[0];

    public bool IsCore => Name.Length == 0;

    /// <summary>"v1" for the core group, "apps/v1" otherwise.</summary>
    public string GroupVersion(string version) => Name.Length == 0 ? version : $"{Name}/{version}";
}
