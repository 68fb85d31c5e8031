using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Volumes.Projection;

namespace Korral.Kubelet.Volumes.Plugins;

/// <summary>configMap: the ConfigMap's keys (or selected items) as files, on disk as upstream, atomically updated.</summary>
internal sealed class ConfigMapPlugin : VolumePlugin
{
    public const string PluginName = "kubernetes.io~configmap";

    public override string Name => PluginName;

    public override bool Refreshable => true;

    public override bool Handles(Volume volume) => volume.ConfigMap is not null;

    public override async Task<PodVolume> SetUpAsync(VolumeSetupContext context, Volume volume, CancellationToken cancellationToken)
    {
        var source = volume.ConfigMap!;
        var name = source.Name ?? "";
        var optional = source.Optional == true || context.Objects.ImplicitlyOptional(name);
        var configMap = await context.Objects.ConfigMapAsync(context.Namespace, name, cancellationToken).ConfigureAwait(false);
        if (configMap is null && !optional)
        {
            throw new VolumeSetupError($"configmap \"{name}\" not found");
        }

        var payload = KeyPayloads.ConfigMap(source.Items, configMap, source.DefaultMode ?? Modes.DefaultFile, optional);
        var path = VolumeDirectories.Disk(context.VolumeDirectory(PluginName, volume.Name!));
        context.Project(path, payload);
        return new PodVolume(volume.Name!, PluginName, path, ReadOnly: true, IsFile: false);
    }
}
