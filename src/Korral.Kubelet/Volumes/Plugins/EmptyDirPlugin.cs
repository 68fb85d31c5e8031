using Korral.Api.Models.CoreV1;

namespace Korral.Kubelet.Volumes.Plugins;

/// <summary>
/// emptyDir: a 0777 directory on the node's disk, or with medium Memory a tmpfs sized by sizeLimit (the kernel's
/// default, half the RAM, without one). The disk variant's sizeLimit is not enforced (upstream evicts the pod).
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

        return Task.FromResult(new PodVolume(volume.Name!, PluginName, path, ReadOnly: false, IsFile: false));
    }
}
