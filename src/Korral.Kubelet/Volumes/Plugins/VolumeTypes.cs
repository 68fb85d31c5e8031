namespace Korral.Kubelet.Volumes.Plugins;

/// <summary>Names the source a volume (or PersistentVolume) sets, for errors about unsupported types.</summary>
internal static class VolumeTypes
{
    private static readonly HashSet<string> NotSources = ["Name", "AccessModes", "Capacity", "ClaimRef", "MountOptions",
        "NodeAffinity", "PersistentVolumeReclaimPolicy", "StorageClassName", "VolumeMode", "VolumeAttributesClassName"];

    /// <summary>The API (camelCase) names of the sources set on a Volume or PersistentVolumeSpec, e.g. "nfs".</summary>
    public static string Describe(object spec)
    {
        var set = spec.GetType().GetProperties()
            .Where(p => !NotSources.Contains(p.Name) && p.GetValue(spec) is not null)
            .Select(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..])
            .ToList();
        return set.Count == 0 ? "unknown" : string.Join(", ", set);
    }
}
