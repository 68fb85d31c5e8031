using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Volumes.Host;
using Korral.Kubelet.Volumes.Projection;

namespace Korral.Kubelet.Volumes.Plugins;

/// <summary>What a plugin gets to set up one pod's volume.</summary>
/// <param name="Pod">The pod (its newest version on refreshes: labels and annotations feed downwardAPI files).</param>
/// <param name="PodDirectory">pods/&lt;uid&gt; under the kubelet directory.</param>
/// <param name="Node">The node, for downwardAPI resource defaults.</param>
/// <param name="Objects">ConfigMaps, Secrets, claims and volumes.</param>
/// <param name="Tokens">Service account tokens, cached per pod.</param>
/// <param name="Time">The clock (timestamped directory names).</param>
/// <param name="Log">Where operational messages go.</param>
internal sealed record VolumeSetupContext(
    Pod Pod,
    string PodDirectory,
    VolumeNodeContext Node,
    ObjectLookup Objects,
    ServiceAccountTokens Tokens,
    TimeProvider Time,
    Action<string> Log)
{
    public string Namespace => Pod.Metadata?.Namespace ?? "default";

    public string PodName => Pod.Metadata?.Name ?? "";

    public string PodUid => Pod.Metadata?.Uid ?? "";

    /// <summary>pods/&lt;uid&gt;/volumes/&lt;plugin&gt;/&lt;volume&gt;.</summary>
    public string VolumeDirectory(string plugin, string volumeName) => Path.Combine(PodDirectory, "volumes", plugin, volumeName);

    /// <summary>The pod's fsGroup, which the volumes the kubelet writes are given.</summary>
    public long? FsGroup => Pod.Spec?.SecurityContext?.FsGroup;

    /// <summary>
    /// Writes a payload with upstream's atomic layout (the directory must exist), the files given the pod's fsGroup
    /// (read-only) before they become visible.
    /// </summary>
    public void Project(string directory, IReadOnlyDictionary<string, FileProjection> payload)
    {
        if (FsGroup is not { } group)
        {
            new AtomicWriter(directory, Time).Write(payload);
            return;
        }

        new AtomicWriter(directory, Time).Write(payload, data => VolumeOwnership.ApplyTree(data, group, readOnly: true));
        VolumeOwnership.Apply(directory, group, readOnly: true);
    }
}
