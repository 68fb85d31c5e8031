using Korral.Api.Models.CoreV1;
using Korral.Client;

namespace Korral.Controllers.Volumes;

public sealed partial class PersistentVolumeController
{
    /// <summary>
    /// Upstream's syncVolume: a volume without a claim (or only pre-bound by name) is Available; one whose claim is gone
    /// is Released, after which its reclaim policy applies (Delete is the provisioner's job for provisioned volumes,
    /// Retain keeps it Released); one whose claim exists waits for, or keeps, the binding.
    /// </summary>
    public async Task SyncVolumeAsync(string name, CancellationToken cancellationToken)
    {
        if (_volumes.Lister.Get(null, name) is not { } volume || volume.Metadata?.DeletionTimestamp is not null)
        {
            return;
        }

        var claimRef = volume.Spec?.ClaimRef;
        if (claimRef is null || string.IsNullOrEmpty(claimRef.Uid))
        {
            if (volume.Status?.Phase != VolumeAnnotations.PhaseAvailable)
            {
                await SetVolumePhaseAsync(volume, VolumeAnnotations.PhaseAvailable, cancellationToken);
            }

            return;
        }

        var claim = _claims.Lister.Get(claimRef.Namespace, claimRef.Name ?? "");
        if (claim is null || claim.Metadata?.Uid != claimRef.Uid)
        {
            // The cache may lag behind a claim just created: ask the server before releasing the volume.
            claim = await ClaimApi.TryGetAsync(claimRef.Namespace, claimRef.Name ?? "", cancellationToken);
        }

        if (claim is null || claim.Metadata?.Uid != claimRef.Uid)
        {
            if (volume.Status?.Phase is not (VolumeAnnotations.PhaseReleased or VolumeAnnotations.PhaseFailed))
            {
                await SetVolumePhaseAsync(volume, VolumeAnnotations.PhaseReleased, cancellationToken);
            }

            return;
        }

        if (string.IsNullOrEmpty(claim.Spec?.VolumeName))
        {
            // Provisioned or pre-bound for this claim: the claim's sync binds it.
            _claimQueue.Add(KubeObject.Key(claim));
            return;
        }

        if (claim.Spec.VolumeName == name && volume.Status?.Phase != VolumeAnnotations.PhaseBound)
        {
            await SetVolumePhaseAsync(volume, VolumeAnnotations.PhaseBound, cancellationToken);
        }
    }

    private async Task<PersistentVolume> SetVolumePhaseAsync(PersistentVolume volume, string phase, CancellationToken cancellationToken)
    {
        var copy = KubeObject.Clone(volume);
        copy.Status ??= new PersistentVolumeStatus();
        copy.Status.Phase = phase;
        copy.Status.Message = null;
        copy.Status.Reason = null;
        return await VolumeApi.UpdateStatusAsync(copy, cancellationToken);
    }
}
