using Korral.Api.Models.CoreV1;

namespace Korral.Controllers.Volumes;

/// <summary>Small questions about claims and volumes both volume controllers ask.</summary>
public static class VolumeClaims
{
    /// <summary>The claim's class: the beta annotation when present, else <c>spec.storageClassName</c>, else "".</summary>
    public static string ClassName(PersistentVolumeClaim claim) =>
        claim.Metadata?.Annotations is { } annotations && annotations.TryGetValue(VolumeAnnotations.BetaStorageClass, out var beta)
            ? beta
            : claim.Spec?.StorageClassName ?? "";

    public static string? Annotation(PersistentVolumeClaim claim, string key) =>
        claim.Metadata?.Annotations is { } annotations && annotations.TryGetValue(key, out var value) ? value : null;

    /// <summary>The provisioner the claim was handed to (the GA annotation, then the beta one), null when none.</summary>
    public static string? Provisioner(PersistentVolumeClaim claim) =>
        Annotation(claim, VolumeAnnotations.StorageProvisioner) ?? Annotation(claim, VolumeAnnotations.BetaStorageProvisioner);

    /// <summary>The volume's claimRef names the claim, and its UID when the ref has one.</summary>
    public static bool RefersTo(PersistentVolume volume, PersistentVolumeClaim claim) =>
        volume.Spec?.ClaimRef is { } claimRef &&
        claimRef.Namespace == claim.Metadata?.Namespace && claimRef.Name == claim.Metadata?.Name &&
        (string.IsNullOrEmpty(claimRef.Uid) || claimRef.Uid == claim.Metadata?.Uid);

    /// <summary>The "ns/name" key of the claim a volume's claimRef names, null when it names none.</summary>
    public static string? ClaimKey(PersistentVolume volume) =>
        volume.Spec?.ClaimRef is { Name.Length: > 0 } claimRef ? $"{claimRef.Namespace}/{claimRef.Name}" : null;
}
