using System.Text.Json.Nodes;
using Korral.Api.Validation.Quantities;

namespace Korral.Api.Validation.Kinds.Core;

/// <summary>
/// PersistentVolumeClaims (v1): the claim spec; on update the spec is immutable except the storage request of bound
/// claims (not below the recorded capacity), a first volumeName, and a storage class set from nothing.
/// </summary>
public sealed class PersistentVolumeClaimValidator : ObjectValidator
{
    private const string StorageClassAnnotation = "volume.beta.kubernetes.io/storage-class";

    public override bool Namespaced => true;

    public override FieldErrorList ValidateCreate(JsonObject obj)
    {
        var errs = Meta(obj);
        errs.AddRange(PersistentVolumeClaimRules.ValidateClaimSpec(Spec(obj), SpecPath));
        return errs;
    }

    public override FieldErrorList ValidateUpdate(JsonObject obj, JsonObject old)
    {
        var errs = MetaUpdate(obj, old);
        errs.AddRange(ValidateCreate(obj));
        var spec = (JsonObject)Spec(obj).DeepClone();
        var oldSpec = (JsonObject)Spec(old).DeepClone();
        if (JsonAccess.Str(oldSpec, "volumeName").Length == 0)
        {
            Copy(spec, oldSpec, "volumeName");
        }

        var oldAnnotations = JsonAccess.Obj(JsonAccess.Obj(old, "metadata"), "annotations");
        var newAnnotations = JsonAccess.Obj(JsonAccess.Obj(obj, "metadata"), "annotations");
        var oldClass = JsonAccess.String(oldSpec, "storageClassName");
        var newClass = JsonAccess.String(spec, "storageClassName");
        var oldAnnotationClass = JsonAccess.String(oldAnnotations, StorageClassAnnotation);
        var newAnnotationClass = JsonAccess.String(newAnnotations, StorageClassAnnotation);
        if (oldAnnotationClass is not null && oldClass is null && newClass == oldAnnotationClass
            && (newAnnotationClass is null || newAnnotationClass == oldAnnotationClass))
        {
            spec.Remove("storageClassName");
        }
        else
        {
            if ((newAnnotationClass ?? "") != (oldAnnotationClass ?? ""))
            {
                errs.Add(FieldError.Invalid(MetadataPath.Child("annotations", StorageClassAnnotation), newAnnotationClass ?? "", "field is immutable"));
            }

            if (newClass is not null && oldClass is null && (oldAnnotationClass is null || newClass == oldAnnotationClass))
            {
                spec.Remove("storageClassName");
            }
        }

        var bound = JsonAccess.Str(JsonAccess.Obj(obj, "status"), "phase") == "Bound";
        if (bound && JsonAccess.Obj(JsonAccess.Obj(spec, "resources"), "requests") is { } requests)
        {
            requests["storage"] = JsonAccess.Obj(JsonAccess.Obj(oldSpec, "resources"), "requests")?["storage"]?.DeepClone();
            if (requests["storage"] is null)
            {
                requests.Remove("storage");
            }
        }

        if (bound && JsonAccess.Has(spec, "volumeAttributesClassName"))
        {
            Copy(oldSpec, spec, "volumeAttributesClassName");
        }

        if (!JsonAccess.SemanticEquals(spec, oldSpec))
        {
            errs.Add(FieldError.Forbidden(SpecPath, "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n"
                + SpecDiff.Describe(oldSpec, spec, "spec")));
        }

        var newSize = Storage(JsonAccess.Obj(JsonAccess.Obj(Spec(obj), "resources"), "requests"));
        var oldSize = Storage(JsonAccess.Obj(JsonAccess.Obj(Spec(old), "resources"), "requests"));
        var statusSize = Storage(JsonAccess.Obj(JsonAccess.Obj(old, "status"), "capacity"));
        if (newSize < oldSize && newSize <= statusSize)
        {
            errs.Add(FieldError.Forbidden(SpecPath.Child("resources", "requests", "storage"), "field can not be less than status.capacity"));
        }

        errs.AddRange(Rules.CommonRules.Immutable(JsonAccess.Get(Spec(obj), "volumeMode"), JsonAccess.Get(Spec(old), "volumeMode"), FieldPath.Root("volumeMode")));
        return errs;
    }

    private static ResourceQuantity Storage(JsonObject? list) =>
        ResourceQuantity.TryParse(list?["storage"], out var q, out _) ? q : ResourceQuantity.Zero;

    private static void Copy(JsonObject target, JsonObject source, string key)
    {
        if (source[key] is { } v)
        {
            target[key] = v.DeepClone();
        }
        else
        {
            target.Remove(key);
        }
    }
}
