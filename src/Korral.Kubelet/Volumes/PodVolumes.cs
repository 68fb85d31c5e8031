namespace Korral.Kubelet.Volumes;

/// <summary>The set-up volumes of one pod, by volume name; the input of <see cref="VolumeManager.MountsFor"/>.</summary>
/// <param name="PodUid">The pod's UID.</param>
/// <param name="PodDirectory">The pod's directory (pods/&lt;uid&gt; under the kubelet directory).</param>
/// <param name="Volumes">Every volume of the pod spec, by name.</param>
public sealed record PodVolumes(string PodUid, string PodDirectory, IReadOnlyDictionary<string, PodVolume> Volumes);
