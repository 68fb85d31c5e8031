using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Volumes.Host;

namespace Korral.Kubelet.Volumes.Plugins;

/// <summary>
/// emptyDir: a 0777 directory on the node's disk, or with medium Memory a tmpfs sized by sizeLimit (the kernel's
/// default, half the RAM, without one). The disk variant's sizeLimit is not enforced (upstream evicts the pod). A new
/// volume gets the pod's fsGroup.
/// </summary>
internal sealed class EmptyDirPlugin : VolumePlugin
{
    public const string PluginName = "kubernetes.io~empty-dir";

    public override string Name => PluginName;

    public override bool Handles(Volume volume) => volume.EmptyDir is not null;

    public override Task<PodVolume> SetUpAsync(VolumeSetupContext context, Volume volume, CancellationToken cancellationToken)
    {
        var source = volume.EmptyDir!;
        var path = context.VolumeDirectory(PluginName, volume.Name!);
        var created = !Directory.Exists(path);
        switch (source.Medium ?? "")
        {
            case "":
                VolumeDirectories.Disk(path);
                break;
            case "Memory":
                VolumeDirectories.Memory(path, source.SizeLimit is { IsZero: false } limit ? limit.Value() : null);
                break;
            case var medium when medium.StartsWith("HugePages", StringComparison.Ordinal):
                throw new VolumeSetupError($"emptyDir medium \"{medium}\" is not supported by Korral");
            case var medium:
                throw new VolumeSetupError($"unknown storage medium \"{medium}\"");
        }

        if (context.FsGroup is { } group && (created || (source.Medium == "Memory" && !Directory.EnumerateFileSystemEntries(path).Any())))
        {
            // Only a new (empty) volume: later set-ups must not undo what the pod did to its files.
            VolumeOwnership.Apply(path, group, readOnly: false);
        }

        return Task.FromResult(new PodVolume(volume.Name!, PluginName, path, ReadOnly: false, IsFile: false));
    }
}
