using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Volumes.Projection;

namespace Korral.Kubelet.Volumes.Plugins;

/// <summary>downwardAPI: pod metadata and container resources as files on a tmpfs, updated when labels change.</summary>
internal sealed class DownwardApiPlugin : VolumePlugin
{
    public const string PluginName = "kubernetes.io~downward-api";

    public override string Name => PluginName;

    public override bool Refreshable => true;

    public override bool Handles(Volume volume) => volume.DownwardAPI is not null;

    public override Task<PodVolume> SetUpAsync(VolumeSetupContext context, Volume volume, CancellationToken cancellationToken)
    {
        var source = volume.DownwardAPI!;
        var payload = DownwardApiPayload.Collect(source.Items, context.Pod, context.Node, source.DefaultMode ?? Modes.DefaultFile);
        var path = VolumeDirectories.MemoryOrDisk(context.VolumeDirectory(PluginName, volume.Name!), context.Log);
        context.Project(path, payload);
        return Task.FromResult(new PodVolume(volume.Name!, PluginName, path, ReadOnly: true, IsFile: false));
    }
}
