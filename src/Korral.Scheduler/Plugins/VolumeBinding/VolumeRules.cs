using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Client;
using LabelSelector = Korral.Api.Selectors.LabelSelector;

namespace Korral.Scheduler.Plugins.VolumeBinding;

/// <summary>
/// The claim/volume rules the scheduler shares with the PV controller (upstream's component-helpers/storage/volume):
/// storage class names, the "fully bound" test, the smallest matching volume, and the volume a claim is bound to.
/// </summary>
internal static class VolumeRules
{
    private const string Storage = "storage";
    private const string Filesystem = "Filesystem";

    /// <summary>The claim's storage class: the beta annotation if present (even empty), else <c>spec.storageClassName</c>, else "".</summary>
    public static string ClaimClass(PersistentVolumeClaim claim) =>
        claim.Metadata?.Annotations is { } a && a.TryGetValue(VolumeAnnotations.BetaStorageClass, out var c) ? c : claim.Spec?.StorageClassName ?? "";

    /// <summary>The volume's storage class, by the same rule as <see cref="ClaimClass"/>.</summary>
    public static string VolumeClass(PersistentVolume volume) =>
        volume.Metadata?.Annotations is { } a && a.TryGetValue(VolumeAnnotations.BetaStorageClass, out var c) ? c : volume.Spec?.StorageClassName ?? "";

    /// <summary>The storage the claim asks for (zero when it names none).</summary>
    public static Quantity RequestedStorage(PersistentVolumeClaim claim) =>
        claim.Spec?.Resources?.Requests is { } r && r.TryGetValue(Storage, out var q) ? q : Quantity.Zero;

    public static Quantity VolumeCapacity(PersistentVolume volume) =>
        volume.Spec?.Capacity is { } c && c.TryGetValue(Storage, out var q) ? q : Quantity.Zero;

    /// <summary>Bound, and the binding is complete: <c>spec.volumeName</c> set and the bind-completed annotation present.</summary>
    public static bool IsFullyBound(PersistentVolumeClaim claim) =>
        !string.IsNullOrEmpty(claim.Spec?.VolumeName) && HasAnnotation(claim.Metadata, VolumeAnnotations.BindCompleted);

    /// <summary>The volume's claimRef names this claim (and, when the ref carries a UID, this UID).</summary>
    public static bool IsVolumeBoundToClaim(PersistentVolume volume, PersistentVolumeClaim claim)
    {
        var claimRef = volume.Spec?.ClaimRef;
        if (claimRef is null || claimRef.Name != claim.Metadata?.Name || claimRef.Namespace != claim.Metadata?.Namespace)
        {
            return false;
        }

        return string.IsNullOrEmpty(claimRef.Uid) || claimRef.Uid == claim.Metadata?.Uid;
    }

    /// <summary>
    /// Upstream's GetBindVolumeToClaim: a copy of the volume whose claimRef points at the claim (with its UID and
    /// resourceVersion) and that carries bound-by-controller unless a user pre-bound it. Dirty: the copy differs.
    /// </summary>
    public static (PersistentVolume Volume, bool Dirty) BindVolumeToClaim(PersistentVolume volume, PersistentVolumeClaim claim)
    {
        var preBound = IsVolumeBoundToClaim(volume, claim);
        var copy = KubeObject.Clone(volume);
        copy.Spec ??= new PersistentVolumeSpec();
        var dirty = false;
        var claimRef = volume.Spec?.ClaimRef;
        if (claimRef is null || claimRef.Name != claim.Metadata?.Name || claimRef.Namespace != claim.Metadata?.Namespace || claimRef.Uid != claim.Metadata?.Uid)
        {
            copy.Spec.ClaimRef = KubeObject.Reference(claim);
            dirty = true;
        }

        if (!preBound && !HasAnnotation(copy.Metadata, VolumeAnnotations.BoundByController))
        {
            copy.Metadata ??= new ObjectMeta();
            copy.Metadata.Annotations ??= new Dictionary<string, string>();
            copy.Metadata.Annotations[VolumeAnnotations.BoundByController] = "yes";
            dirty = true;
        }

        return (copy, dirty);
    }

    /// <summary>
    /// Upstream's FindMatchingVolume on the scheduler path: a volume pre-bound to the claim wins (or nothing, when its
    /// node affinity rejects the node); otherwise the smallest Available volume of the claim's class that is big enough,
    /// has the claim's volume mode and access modes, matches its selector and the node, and is not being deleted.
    /// </summary>
    public static PersistentVolume? FindMatchingVolume(
        PersistentVolumeClaim claim,
        IReadOnlyList<PersistentVolume> volumes,
        IReadOnlyDictionary<string, string> nodeLabels,
        IReadOnlySet<string> excluded)
    {
        var requested = RequestedStorage(claim);
        var requestedClass = ClaimClass(claim);
        LabelSelector? selector = null;
        if (claim.Spec?.Selector is { } s && !LabelSelector.TryFromLabelSelector(s, out selector, out var error))
        {
            throw new VolumeBindingException($"error creating internal label selector for claim: {KubeObject.Key(claim)}: {error}");
        }

        PersistentVolume? smallest = null;
        Quantity? smallestSize = null;
        foreach (var volume in volumes)
        {
            if (excluded.Contains(volume.Metadata?.Name ?? "") || (volume.Spec?.ClaimRef is not null && !IsVolumeBoundToClaim(volume, claim)))
            {
                continue;
            }

            var size = VolumeCapacity(volume);
            if (size.CompareTo(requested) < 0
                || (claim.Spec?.VolumeMode ?? Filesystem) != (volume.Spec?.VolumeMode ?? Filesystem)
                || volume.Metadata?.DeletionTimestamp is not null)
            {
                continue;
            }

            // The most expensive check; the cheap ones above come first, as upstream orders them.
            var fitsNode = VolumeTopology.VolumeFitsNode(volume, nodeLabels);
            if (IsVolumeBoundToClaim(volume, claim))
            {
                return fitsNode ? volume : null;
            }

            if (volume.Status?.Phase != "Available"
                || (selector is not null && !selector.Matches(Labels(volume)))
                || VolumeClass(volume) != requestedClass
                || !fitsNode
                || !HasAccessModes(claim, volume))
            {
                continue;
            }

            if (smallest is null || smallestSize!.CompareTo(size) > 0)
            {
                smallest = volume;
                smallestSize = size;
            }
        }

        return smallest;
    }

    /// <summary>The volume offers every access mode the claim asks for.</summary>
    public static bool HasAccessModes(PersistentVolumeClaim claim, PersistentVolume volume)
    {
        var offered = volume.Spec?.AccessModes ?? [];
        return (claim.Spec?.AccessModes ?? []).All(offered.Contains);
    }

    public static bool HasAnnotation(ObjectMeta? meta, string key) => meta?.Annotations?.ContainsKey(key) ?? false;

    /// <summary>The resourceVersion as a number (Korral's are integers; anything else counts as 0).</summary>
    public static long Version<T>(T obj)
        where T : class => long.TryParse(KubeObject.ResourceVersion(obj), out var v) ? v : 0;

    private static IReadOnlyDictionary<string, string>? Labels(PersistentVolume volume) => volume.Metadata?.Labels switch
    {
        null => null,
        IReadOnlyDictionary<string, string> d => d,
        var other => new Dictionary<string, string>(other),
    };
}
