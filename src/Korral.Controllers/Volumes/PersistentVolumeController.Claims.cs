using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Client;
using Korral.Client.Events;

namespace Korral.Controllers.Volumes;

public sealed partial class PersistentVolumeController
{
    /// <summary>Upstream's syncClaim: an unbound claim is bound or handed to a provisioner, a bound one kept consistent.</summary>
    public async Task SyncClaimAsync(string key, CancellationToken cancellationToken)
    {
        if (_claims.Lister.Get(key) is not { } claim || claim.Metadata?.DeletionTimestamp is not null)
        {
            return;
        }

        if (string.IsNullOrEmpty(claim.Spec?.VolumeName))
        {
            await SyncUnboundClaimAsync(claim, cancellationToken);
            return;
        }

        var volume = _volumes.Lister.Get(null, claim.Spec.VolumeName);
        if (volume is null)
        {
            if (claim.Status?.Phase == VolumeAnnotations.PhaseBound)
            {
                // Upstream: the volume is gone while the claim still counts on it.
                await SetClaimPhaseAsync(claim, VolumeAnnotations.PhaseLost, cancellationToken);
                _context.Events.Event(claim, EventTypes.Warning, "ClaimLost", "Bound claim has lost its PersistentVolume. Data on the volume is lost!");
            }

            return;
        }

        // Pre-bound by the user (claimRef still empty), or bound and needing its last steps: bind is idempotent.
        if (volume.Spec?.ClaimRef is null || VolumeClaims.RefersTo(volume, claim))
        {
            await BindAsync(volume, claim, cancellationToken);
        }
    }

    private async Task SyncUnboundClaimAsync(PersistentVolumeClaim claim, CancellationToken cancellationToken)
    {
        // A volume made for this claim (by a provisioner) or pre-bound to it by an admin.
        var volume = _volumes.Lister.List().FirstOrDefault(v => VolumeClaims.RefersTo(v, claim));
        if (volume is not null)
        {
            await BindAsync(volume, claim, cancellationToken);
            return;
        }

        var className = VolumeClaims.ClassName(claim);
        if (className.Length == 0)
        {
            _context.Events.Event(claim, EventTypes.Normal, "FailedBinding", "no persistent volumes available for this claim and no storage class is set");
            return;
        }

        if (_classes.Lister.Get(null, className) is not { } storageClass)
        {
            _context.Events.Event(claim, EventTypes.Warning, "ProvisioningFailed", $"storageclass.storage.k8s.io \"{className}\" not found");
            return;
        }

        if (storageClass.VolumeBindingMode == "WaitForFirstConsumer" &&
            string.IsNullOrEmpty(VolumeClaims.Annotation(claim, VolumeAnnotations.SelectedNode)))
        {
            _context.Events.Event(claim, EventTypes.Normal, "WaitForFirstConsumer", "waiting for first consumer to be created before binding");
            return;
        }

        if (storageClass.Provisioner is not { Length: > 0 } provisioner || provisioner == VolumeAnnotations.NoProvisioner)
        {
            return;
        }

        // Upstream's external provisioning path: name the provisioner on the claim and wait for its volume.
        if (VolumeClaims.Annotation(claim, VolumeAnnotations.StorageProvisioner) != provisioner ||
            VolumeClaims.Annotation(claim, VolumeAnnotations.BetaStorageProvisioner) != provisioner)
        {
            var copy = KubeObject.Clone(claim);
            copy.Metadata ??= new ObjectMeta();
            copy.Metadata.Annotations ??= new Dictionary<string, string>();
            copy.Metadata.Annotations[VolumeAnnotations.StorageProvisioner] = provisioner;
            copy.Metadata.Annotations[VolumeAnnotations.BetaStorageProvisioner] = provisioner;
            await ClaimApi.UpdateAsync(copy, cancellationToken);
        }

        _context.Events.Event(claim, EventTypes.Normal, "ExternalProvisioning",
            $"Waiting for a volume to be created either by the external provisioner '{provisioner}' or manually by the system administrator. " +
            "If volume creation is delayed, please verify that the provisioner is running and correctly registered.");
    }

    /// <summary>
    /// Upstream's bind, each step written only when it changes something: the volume's claimRef (and bound-by-controller
    /// when the controller sets it), the volume's phase Bound, the claim's volumeName with bind-completed (and
    /// bound-by-controller when the claim did not name the volume itself), the claim's status Bound with the volume's
    /// access modes and capacity.
    /// </summary>
    private async Task BindAsync(PersistentVolume volume, PersistentVolumeClaim claim, CancellationToken cancellationToken)
    {
        var volumeName = volume.Metadata?.Name ?? "";
        if (volume.Spec?.ClaimRef is not { Uid.Length: > 0 } claimRef || claimRef.Uid != claim.Metadata?.Uid)
        {
            var copy = KubeObject.Clone(volume);
            copy.Spec ??= new PersistentVolumeSpec();
            copy.Spec.ClaimRef = KubeObject.Reference(claim);
            SetAnnotation(copy.Metadata ??= new ObjectMeta(), VolumeAnnotations.BoundByController, VolumeAnnotations.Yes);
            volume = await VolumeApi.UpdateAsync(copy, cancellationToken);
        }

        if (volume.Status?.Phase != VolumeAnnotations.PhaseBound)
        {
            volume = await SetVolumePhaseAsync(volume, VolumeAnnotations.PhaseBound, cancellationToken);
        }

        var annotations = claim.Metadata?.Annotations;
        if (claim.Spec?.VolumeName != volumeName || annotations is null || !annotations.ContainsKey(VolumeAnnotations.BindCompleted))
        {
            var copy = KubeObject.Clone(claim);
            copy.Spec ??= new PersistentVolumeClaimSpec();
            var meta = copy.Metadata ??= new ObjectMeta();
            if (string.IsNullOrEmpty(copy.Spec.VolumeName))
            {
                SetAnnotation(meta, VolumeAnnotations.BoundByController, VolumeAnnotations.Yes);
            }

            copy.Spec.VolumeName = volumeName;
            SetAnnotation(meta, VolumeAnnotations.BindCompleted, VolumeAnnotations.Yes);
            claim = await ClaimApi.UpdateAsync(copy, cancellationToken);
        }

        var status = claim.Status;
        if (status?.Phase != VolumeAnnotations.PhaseBound || !SameList(status.AccessModes, volume.Spec?.AccessModes) ||
            !SameCapacity(status.Capacity, volume.Spec?.Capacity))
        {
            var copy = KubeObject.Clone(claim);
            copy.Status ??= new PersistentVolumeClaimStatus();
            copy.Status.Phase = VolumeAnnotations.PhaseBound;
            copy.Status.AccessModes = volume.Spec?.AccessModes?.ToList();
            copy.Status.Capacity = volume.Spec?.Capacity is { } capacity ? new Dictionary<string, Api.Models.Quantity>(capacity) : null;
            await ClaimApi.UpdateStatusAsync(copy, cancellationToken);
        }
    }

    private async Task SetClaimPhaseAsync(PersistentVolumeClaim claim, string phase, CancellationToken cancellationToken)
    {
        var copy = KubeObject.Clone(claim);
        copy.Status ??= new PersistentVolumeClaimStatus();
        copy.Status.Phase = phase;
        await ClaimApi.UpdateStatusAsync(copy, cancellationToken);
    }

    private static void SetAnnotation(ObjectMeta meta, string key, string value)
    {
        meta.Annotations ??= new Dictionary<string, string>();
        meta.Annotations[key] = value;
    }

    private static bool SameList(IList<string>? a, IList<string>? b) => (a ?? []).SequenceEqual(b ?? []);

    private static bool SameCapacity(IDictionary<string, Api.Models.Quantity>? a, IDictionary<string, Api.Models.Quantity>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a ?? new Dictionary<string, Api.Models.Quantity>()).All(kv => b!.TryGetValue(kv.Key, out var q) && q.Equals(kv.Value));
}
