using System.Text.Json.Nodes;
using static Korral.Api.Printing.PrintFormat;
using static Korral.Api.Selectors.JsonRead;

namespace Korral.Api.Printing.Printers;

/// <summary>PersistentVolumes, PersistentVolumeClaims and StorageClasses.</summary>
internal static class StoragePrinters
{
    public static readonly TableColumnDefinition[] PersistentVolumeColumns =
    [
        Col.Name,
        Col.Str("Capacity", "The storage capacity."),
        Col.Str("Access Modes", "RWO, ROX, RWX, RWOP."),
        Col.Str("Reclaim Policy", "What happens to the volume when released."),
        Col.Str("Status", "The volume's phase."),
        Col.Str("Claim", "The bound claim as namespace/name."),
        Col.Str("StorageClass", "The storage class."),
        Col.Str("VolumeAttributesClass", "The volume attributes class."),
        Col.Str("Reason", "Why the volume is in its phase."),
        Col.Age,
        Col.Str("VolumeMode", "Filesystem or Block.", 1),
    ];

    public static readonly TableColumnDefinition[] PersistentVolumeClaimColumns =
    [
        Col.Name,
        Col.Str("Status", "The claim's phase."),
        Col.Str("Volume", "The bound volume."),
        Col.Str("Capacity", "The bound capacity."),
        Col.Str("Access Modes", "RWO, ROX, RWX, RWOP."),
        Col.Str("StorageClass", "The storage class."),
        Col.Str("VolumeAttributesClass", "The volume attributes class."),
        Col.Age,
        Col.Str("VolumeMode", "Filesystem or Block.", 1),
    ];

    public static readonly TableColumnDefinition[] StorageClassColumns =
    [
        Col.Name,
        Col.Str("Provisioner", "The volume plugin that provisions volumes."),
        Col.Str("ReclaimPolicy", "The reclaim policy of provisioned volumes."),
        Col.Str("VolumeBindingMode", "Immediate or WaitForFirstConsumer."),
        Col.Str("AllowVolumeExpansion", "Whether volumes can be expanded."),
        Col.Age,
    ];

    private const string BetaStorageClassAnnotation = "volume.beta.kubernetes.io/storage-class";

    public static object?[] PersistentVolume(JsonObject obj, DateTimeOffset now)
    {
        var spec = Obj(obj, "spec");
        var status = Obj(obj, "status");
        var claim = "";
        if (Obj(spec, "claimRef") is { } claimRef)
        {
            claim = Str(claimRef, "namespace") + "/" + Str(claimRef, "name");
        }

        var storageClass = Obj(Meta(obj), "annotations") is { } annotations && annotations.TryGetPropertyValue(BetaStorageClassAnnotation, out var beta)
            ? Str(beta)
            : Str(spec, "storageClassName");

        return
        [
            Name(obj),
            StorageQuantity(Obj(spec, "capacity")),
            AccessModes(Arr(spec, "accessModes")),
            Str(spec, "persistentVolumeReclaimPolicy"),
            Deleting(obj) ? "Terminating" : Str(status, "phase"),
            claim,
            storageClass,
            StrOrNull(spec, "volumeAttributesClassName") ?? "<unset>",
            Str(status, "reason"),
            Age(obj, now),
            StrOrNull(spec, "volumeMode") ?? "<unset>",
        ];
    }

    public static object?[] PersistentVolumeClaim(JsonObject obj, DateTimeOffset now)
    {
        var spec = Obj(obj, "spec");
        var status = Obj(obj, "status");
        var volumeName = Str(spec, "volumeName");
        var capacity = "";
        var accessModes = "";
        if (volumeName.Length != 0)
        {
            accessModes = AccessModes(Arr(status, "accessModes"));
            capacity = StorageQuantity(Obj(status, "capacity"));
        }

        var storageClass = Obj(Meta(obj), "annotations") is { } annotations && annotations.TryGetPropertyValue(BetaStorageClassAnnotation, out var beta)
            ? Str(beta)
            : Str(spec, "storageClassName");

        return
        [
            Name(obj),
            Deleting(obj) ? "Terminating" : Str(status, "phase"),
            volumeName,
            capacity,
            accessModes,
            storageClass,
            StrOrNull(spec, "volumeAttributesClassName") ?? "<unset>",
            Age(obj, now),
            StrOrNull(spec, "volumeMode") ?? "<unset>",
        ];
    }

    public static object?[] StorageClass(JsonObject obj, DateTimeOffset now)
    {
        var annotations = Obj(Meta(obj), "annotations");
        var isDefault = Str(annotations, "storageclass.kubernetes.io/is-default-class") == "true"
            || Str(annotations, "storageclass.beta.kubernetes.io/is-default-class") == "true";
        var name = Name(obj);
        return
        [
            isDefault ? name + " (default)" : name,
            Str(obj, "provisioner"),
            StrOrNull(obj, "reclaimPolicy") ?? "Delete",
            StrOrNull(obj, "volumeBindingMode") ?? "Immediate",
            PrintFormat.Bool(Selectors.JsonRead.Bool(obj, "allowVolumeExpansion")),
            Age(obj, now),
        ];
    }

    // The storage quantity of a capacity map; an absent one prints as the zero quantity.
    private static string StorageQuantity(JsonObject? capacity) =>
        capacity is not null && capacity.TryGetPropertyValue("storage", out var q) && q is not null ? Quantity(q) : "0";

    private static string AccessModes(JsonArray? modes)
    {
        if (modes is null || modes.Count == 0)
        {
            return "";
        }

        var set = modes.Select(Str).ToHashSet(StringComparer.Ordinal);
        var parts = new List<string>(4);
        if (set.Contains("ReadWriteOnce"))
        {
            parts.Add("RWO");
        }

        if (set.Contains("ReadOnlyMany"))
        {
            parts.Add("ROX");
        }

        if (set.Contains("ReadWriteMany"))
        {
            parts.Add("RWX");
        }

        if (set.Contains("ReadWriteOncePod"))
        {
            parts.Add("RWOP");
        }

        return string.Join(",", parts);
    }
}
