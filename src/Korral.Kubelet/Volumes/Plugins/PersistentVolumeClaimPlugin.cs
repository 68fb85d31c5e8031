using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Volumes.Host;

namespace Korral.Kubelet.Volumes.Plugins;

/// <summary>
/// persistentVolumeClaim (and generic ephemeral volumes, whose claim is named &lt;pod&gt;-&lt;volume&gt;): the claim
/// must be Bound to a volume that points back at it, and that volume's hostPath (type checked, so DirectoryOrCreate
/// creates it) or local path is used directly. Other volume sources are not supported on Korral nodes.
/// </summary>
internal sealed class PersistentVolumeClaimPlugin : VolumePlugin
{
    public const string LocalPluginName = "kubernetes.io~local-volume";

    public override string Name => HostPathPlugin.PluginName;

    public override bool Handles(Volume volume) => volume.PersistentVolumeClaim is not null || volume.Ephemeral is not null;

    public override async Task<PodVolume> SetUpAsync(VolumeSetupContext context, Volume volume, CancellationToken cancellationToken)
    {
        var ephemeral = volume.PersistentVolumeClaim is null;
        var claimName = ephemeral ? $"{context.PodName}-{volume.Name}" : volume.PersistentVolumeClaim!.ClaimName ?? "";
        var readOnly = volume.PersistentVolumeClaim?.ReadOnly == true;
        var key = $"{context.Namespace}/{claimName}";

        var claim = await context.Objects.Source.GetClaimAsync(context.Namespace, claimName, cancellationToken).ConfigureAwait(false)
            ?? throw new VolumeSetupError($"persistentvolumeclaim \"{claimName}\" not found");
        if (ephemeral && !(claim.Metadata?.OwnerReferences ?? []).Any(o => o.Controller == true && o.Uid == context.PodUid))
        {
            throw new VolumeSetupError($"PVC {key} was not created for pod {context.Namespace}/{context.PodName} (pod is not owner)");
        }

        if (claim.Metadata?.DeletionTimestamp is not null)
        {
            throw new VolumeSetupError($"can't start pod because PVC {key} is being deleted");
        }

        var phase = claim.Status?.Phase ?? "";
        var volumeName = claim.Spec?.VolumeName ?? "";
        if (phase != "Bound" || volumeName.Length == 0)
        {
            throw new VolumeSetupError($"PVC {key} has non-bound phase (\"{phase}\") or empty pvc.Spec.VolumeName (\"{volumeName}\")");
        }

        var pv = await context.Objects.Source.GetVolumeAsync(volumeName, cancellationToken).ConfigureAwait(false)
            ?? throw new VolumeSetupError($"failed to fetch PV {volumeName} from API server: persistentvolumes \"{volumeName}\" not found");
        var claimRef = pv.Spec?.ClaimRef
            ?? throw new VolumeSetupError($"found PV object {volumeName} but it has a nil pv.Spec.ClaimRef indicating it is not yet bound to the claim");
        if (claimRef.Uid != claim.Metadata?.Uid)
        {
            throw new VolumeSetupError($"found PV object {volumeName} but its pv.Spec.ClaimRef.UID ({claimRef.Uid}) does not point to claim.UID ({claim.Metadata?.Uid})");
        }

        if (pv.Spec.HostPath is { } hostPath)
        {
            var path = hostPath.Path ?? "";
            HostPathPlugin.Check(path, hostPath.Type ?? "");
            return new PodVolume(volume.Name!, HostPathPlugin.PluginName, path, readOnly, HostPathPlugin.IsFile(path));
        }

        if (pv.Spec.Local is { } local)
        {
            var path = local.Path ?? "";
            if (Libc.FileMode(path) is null)
            {
                throw new VolumeSetupError($"path \"{path}\" of local PersistentVolume {volumeName} does not exist");
            }

            return new PodVolume(volume.Name!, LocalPluginName, path, readOnly, HostPathPlugin.IsFile(path));
        }

        throw new VolumeSetupError($"PersistentVolume {volumeName} has a {VolumeTypes.Describe(pv.Spec)} source, which Korral nodes do not support (only hostPath and local)");
    }
}
