using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Volumes.Projection;

namespace Korral.Kubelet.Volumes.Plugins;

/// <summary>secret: the Secret's keys (or selected items) as files on a tmpfs, atomically updated.</summary>
internal sealed class SecretPlugin : VolumePlugin
{
    public const string PluginName = "kubernetes.io~secret";

    public override string Name => PluginName;

    public override bool Refreshable => true;

    public override bool Handles(Volume volume) => volume.Secret is not null;

    public override async Task<PodVolume> SetUpAsync(VolumeSetupContext context, Volume volume, CancellationToken cancellationToken)
    {
        var source = volume.Secret!;
        var name = source.SecretName ?? "";
        var optional = source.Optional == true;
        var secret = await context.Objects.Source.GetSecretAsync(context.Namespace, name, cancellationToken).ConfigureAwait(false);
        if (secret is null && !optional)
        {
            throw new VolumeSetupError($"secret \"{name}\" not found");
        }

        var payload = KeyPayloads.Secret(source.Items, secret, source.DefaultMode ?? Modes.DefaultFile, optional);
        var path = VolumeDirectories.MemoryOrDisk(context.VolumeDirectory(PluginName, volume.Name!), context.Log);
        context.Project(path, payload);
        return new PodVolume(volume.Name!, PluginName, path, ReadOnly: true, IsFile: false);
    }
}
