using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Client;

namespace Korral.Scheduler.Plugins.VolumeBinding;

/// <summary>
/// Korral's stand-in for the part of upstream's PV controller that finishes a binding the scheduler started (its
/// <c>bind</c>): once the volume's claimRef points at the claim, the volume's phase becomes Bound, the claim gets
/// <c>spec.volumeName</c> with the bind-completed and bound-by-controller annotations, and the claim's status becomes
/// Bound with the volume's access modes and capacity. The end state is the one the PV controller writes, so a PV
/// controller added later finds nothing to do. A write that loses a race reads the object again (three attempts).
/// </summary>
internal sealed class StaticBindingCompleter(IVolumeBindingApi api)
{
    private const int Attempts = 3;
    private const string Bound = "Bound";
    private const string Storage = "storage";

    /// <summary>
    /// Completes <paramref name="binding"/> (its volume as the scheduler wrote it). <paramref name="latestClaim"/>: a
    /// newer copy of the claim to start from, if known; it must still be the same claim (UID).
    /// </summary>
    public async Task<BindingInfo> CompleteAsync(BindingInfo binding, PersistentVolumeClaim? latestClaim, CancellationToken cancellationToken)
    {
        var claimUid = binding.Claim.Metadata?.Uid;
        var volumeName = binding.Volume.Metadata?.Name ?? "";
        var (ns, claimName) = (binding.Claim.Metadata?.Namespace ?? "", binding.Claim.Metadata?.Name ?? "");

        var volume = await UpdateAsync(
            binding.Volume,
            v => VolumePhaseChange(v, claimUid),
            api.UpdateVolumeStatusAsync,
            ct => api.GetVolumeAsync(volumeName, ct),
            cancellationToken);

        var claim = await UpdateAsync(
            latestClaim ?? binding.Claim,
            c => ClaimBindingChange(c, claimUid, volumeName),
            api.UpdateClaimAsync,
            ct => api.GetClaimAsync(ns, claimName, ct),
            cancellationToken);

        claim = await UpdateAsync(
            claim,
            c => ClaimStatusChange(c, claimUid, volume),
            api.UpdateClaimStatusAsync,
            ct => api.GetClaimAsync(ns, claimName, ct),
            cancellationToken);

        return new BindingInfo(claim, volume);
    }

    // The PV controller's updateVolumePhase(Bound, "").
    private static PersistentVolume? VolumePhaseChange(PersistentVolume volume, string? claimUid)
    {
        if (volume.Spec?.ClaimRef?.Uid is not { Length: > 0 } uid || uid != claimUid)
        {
            throw new VolumeBindingException($"ClaimRef got reset for pv \"{volume.Metadata?.Name}\"");
        }

        if (volume.Status?.Phase == Bound)
        {
            return null;
        }

        var copy = KubeObject.Clone(volume);
        copy.Status ??= new PersistentVolumeStatus();
        copy.Status.Phase = Bound;
        copy.Status.Message = null;
        return copy;
    }

    // The PV controller's bindClaimToVolume.
    private static PersistentVolumeClaim? ClaimBindingChange(PersistentVolumeClaim claim, string? claimUid, string volumeName)
    {
        CheckSameClaim(claim, claimUid);
        var current = claim.Spec?.VolumeName ?? "";
        if (current.Length > 0 && current != volumeName)
        {
            throw new VolumeBindingException($"persistentvolumeclaim \"{claim.Metadata?.Name}\" is already bound to volume \"{current}\"");
        }

        var setByUs = current != volumeName;
        var missingBoundBy = setByUs && !VolumeRules.HasAnnotation(claim.Metadata, VolumeAnnotations.BoundByController);
        var missingCompleted = !VolumeRules.HasAnnotation(claim.Metadata, VolumeAnnotations.BindCompleted);
        if (!setByUs && !missingBoundBy && !missingCompleted)
        {
            return null;
        }

        var copy = KubeObject.Clone(claim);
        copy.Spec ??= new PersistentVolumeClaimSpec();
        copy.Spec.VolumeName = volumeName;
        copy.Metadata ??= new ObjectMeta();
        copy.Metadata.Annotations ??= new Dictionary<string, string>();
        if (missingBoundBy)
        {
            copy.Metadata.Annotations[VolumeAnnotations.BoundByController] = "yes";
        }

        if (missingCompleted)
        {
            copy.Metadata.Annotations[VolumeAnnotations.BindCompleted] = "yes";
        }

        return copy;
    }

    // The PV controller's updateClaimStatus(Bound, volume): access modes always follow the volume; the capacity is set
    // only when the claim becomes Bound (a later difference can be a resize in progress).
    private static PersistentVolumeClaim? ClaimStatusChange(PersistentVolumeClaim claim, string? claimUid, PersistentVolume volume)
    {
        CheckSameClaim(claim, claimUid);
        var copy = KubeObject.Clone(claim);
        copy.Status ??= new PersistentVolumeClaimStatus();
        var dirty = false;
        var becomingBound = claim.Status?.Phase != Bound;
        if (becomingBound)
        {
            copy.Status.Phase = Bound;
            dirty = true;
        }

        var modes = volume.Spec?.AccessModes;
        if (!(claim.Status?.AccessModes ?? []).SequenceEqual(modes ?? []) || (claim.Status?.AccessModes is null) != (modes is null))
        {
            copy.Status.AccessModes = modes is null ? null : [.. modes];
            dirty = true;
        }

        if (becomingBound)
        {
            if (volume.Spec?.Capacity is not { } capacity || !capacity.TryGetValue(Storage, out var size))
            {
                throw new VolumeBindingException($"PersistentVolume \"{volume.Metadata?.Name}\" is without a storage capacity");
            }

            if (claim.Status?.Capacity?.TryGetValue(Storage, out var current) != true || current!.CompareTo(size) != 0)
            {
                copy.Status.Capacity = new Dictionary<string, Quantity>(capacity);
                dirty = true;
            }
        }

        return dirty ? copy : null;
    }

    private static void CheckSameClaim(PersistentVolumeClaim claim, string? claimUid)
    {
        if (claim.Metadata?.Uid != claimUid)
        {
            throw new VolumeBindingException($"persistentvolumeclaim \"{claim.Metadata?.Name}\" was replaced while it was being bound");
        }
    }

    /// <summary>Applies <paramref name="change"/> (null: nothing to do) and writes; on a conflict reads again and retries.</summary>
    private static async Task<T> UpdateAsync<T>(
        T current,
        Func<T, T?> change,
        Func<T, CancellationToken, Task<T>> write,
        Func<CancellationToken, Task<T>> reread,
        CancellationToken cancellationToken)
        where T : class
    {
        for (var attempt = 1; ; attempt++)
        {
            if (change(current) is not { } changed)
            {
                return current;
            }

            try
            {
                return await write(changed, cancellationToken);
            }
            catch (KubeApiException e) when (e.IsConflict && attempt < Attempts)
            {
                current = await reread(cancellationToken);
            }
        }
    }
}
