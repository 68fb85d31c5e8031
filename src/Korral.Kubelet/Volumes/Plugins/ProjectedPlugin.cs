using System.Text;
using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Volumes.Projection;

namespace Korral.Kubelet.Volumes.Plugins;

/// <summary>
/// projected: configMap, secret, downwardAPI and serviceAccountToken sources merged into one directory on a tmpfs
/// (the kube-api-access volume of every pod is one). Every source is tried and all their errors reported together.
/// clusterTrustBundle and podCertificate sources are not supported.
/// </summary>
internal sealed class ProjectedPlugin : VolumePlugin
{
    public const string PluginName = "kubernetes.io~projected";

    private const int TokenModeWithFsGroup = 384;

    public override string Name => PluginName;

    public override bool Refreshable => true;

    public override bool Handles(Volume volume) => volume.Projected is not null;

    public override async Task<PodVolume> SetUpAsync(VolumeSetupContext context, Volume volume, CancellationToken cancellationToken)
    {
        var source = volume.Projected!;
        var defaultMode = source.DefaultMode ?? Modes.DefaultFile;
        var payload = new Dictionary<string, FileProjection>(StringComparer.Ordinal);
        var errors = new List<string>();
        var index = 0;
        foreach (var projection in source.Sources ?? [])
        {
            try
            {
                foreach (var (path, file) in await CollectAsync(context, volume.Name!, projection, index, defaultMode, cancellationToken).ConfigureAwait(false))
                {
                    payload[path] = file;
                }
            }
            catch (VolumeSetupError e)
            {
                errors.Add(e.Message);
            }

            index++;
        }

        if (errors.Count > 0)
        {
            throw new VolumeSetupError(DownwardApiPayload.Aggregate(errors));
        }

        var directory = VolumeDirectories.MemoryOrDisk(context.VolumeDirectory(PluginName, volume.Name!), context.Log);
        context.Project(directory, payload);
        return new PodVolume(volume.Name!, PluginName, directory, ReadOnly: true, IsFile: false);
    }

    private static async Task<Dictionary<string, FileProjection>> CollectAsync(VolumeSetupContext context, string volumeName,
        VolumeProjection projection, int index, int defaultMode, CancellationToken cancellationToken)
    {
        if (projection.ConfigMap is { } configMapSource)
        {
            var name = configMapSource.Name ?? "";
            var optional = configMapSource.Optional == true || context.Objects.ImplicitlyOptional(name);
            var configMap = await context.Objects.ConfigMapAsync(context.Namespace, name, cancellationToken).ConfigureAwait(false);
            return configMap is null && !optional
                ? throw new VolumeSetupError($"configmap \"{name}\" not found")
                : KeyPayloads.ConfigMap(configMapSource.Items, configMap, defaultMode, optional);
        }

        if (projection.Secret is { } secretSource)
        {
            var name = secretSource.Name ?? "";
            var optional = secretSource.Optional == true;
            var secret = await context.Objects.Source.GetSecretAsync(context.Namespace, name, cancellationToken).ConfigureAwait(false);
            return secret is null && !optional
                ? throw new VolumeSetupError($"secret \"{name}\" not found")
                : KeyPayloads.Secret(secretSource.Items, secret, defaultMode, optional);
        }

        if (projection.DownwardAPI is { } downward)
        {
            return DownwardApiPayload.Collect(downward.Items, context.Pod, context.Node, defaultMode);
        }

        if (projection.ServiceAccountToken is { } tokenSource)
        {
            var token = await context.Tokens.GetAsync(context.Pod, volumeName, tokenSource, cancellationToken).ConfigureAwait(false);
            // Like upstream: with an fsGroup the token is 0600, which the group ownership then makes 0640.
            var mode = context.FsGroup is null ? defaultMode : TokenModeWithFsGroup;
            return token is null
                ? []
                : new Dictionary<string, FileProjection> { [tokenSource.Path ?? "token"] = new(Encoding.UTF8.GetBytes(token), mode) };
        }

        throw new VolumeSetupError($"projected volume source {index} is not supported by Korral (supported: configMap, secret, downwardAPI, serviceAccountToken; not clusterTrustBundle or podCertificate)");
    }
}
