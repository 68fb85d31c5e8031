using System.Text.Json.Nodes;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation.Kinds.Core;

/// <summary>
/// Pods (v1): the pod spec rules, pod-only checks on create, and the update rule that only images,
/// activeDeadlineSeconds, added tolerations, removed scheduling gates and a negative grace period reset to 1 may change.
/// </summary>
public sealed class PodValidator : ObjectValidator
{
    /// <summary>The fields an update may change, in upstream's words.</summary>
    public const string UpdatableFields =
        "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

    public override bool Namespaced => true;

    public override FieldErrorList ValidateCreate(JsonObject obj)
    {
        var errs = ValidateMetadataAndSpec(obj);
        var spec = Spec(obj);
        if (JsonAccess.Count(spec, "ephemeralContainers") > 0)
        {
            errs.Add(FieldError.Forbidden(SpecPath.Child("ephemeralContainers"), "cannot be set on create"));
        }

        if (JsonAccess.Str(spec, "nodeName").Length > 0 && JsonAccess.Count(spec, "schedulingGates") > 0)
        {
            errs.Add(FieldError.Forbidden(SpecPath.Child("nodeName"), "cannot be set until all schedulingGates have been cleared"));
        }

        return errs;
    }

    public override FieldErrorList ValidateUpdate(JsonObject obj, JsonObject old)
    {
        var errs = MetaUpdate(obj, old);
        errs.AddRange(ValidateMetadataAndSpec(obj));
        errs.AddRange(ValidateAnnotationUpdates(obj, old));
        var spec = Spec(obj);
        var oldSpec = Spec(old);

        foreach (var list in new[] { "containers", "initContainers" })
        {
            var newList = JsonAccess.Arr(spec, list) ?? [];
            var oldList = JsonAccess.Arr(oldSpec, list) ?? [];
            var listPath = SpecPath.Child(list);
            if (newList.Count != oldList.Count)
            {
                errs.Add(FieldError.Forbidden(listPath, "pod updates may not add or remove containers"));
                return errs;
            }

            for (var i = 0; i < newList.Count; i++)
            {
                var image = JsonAccess.Str(newList[i], "image");
                if (image.Length == 0)
                {
                    errs.Add(FieldError.Required(listPath.Index(i).Child("image")));
                }

                if (image.Trim().Length != image.Length)
                {
                    errs.Add(FieldError.Invalid(listPath.Index(i).Child("image"), image, "must not have leading or trailing whitespace"));
                }
            }
        }

        var newDeadline = JsonAccess.Long(spec, "activeDeadlineSeconds");
        var oldDeadline = JsonAccess.Long(oldSpec, "activeDeadlineSeconds");
        if (newDeadline is { } nd)
        {
            if (nd is < 0 or > int.MaxValue)
            {
                errs.Add(FieldError.Invalid(SpecPath.Child("activeDeadlineSeconds"), nd, NameRules.InclusiveRangeError(0, int.MaxValue)));
                return errs;
            }

            if (oldDeadline is { } od && od < nd)
            {
                errs.Add(FieldError.Invalid(SpecPath.Child("activeDeadlineSeconds"), nd, "must be less than or equal to previous value"));
                return errs;
            }
        }
        else if (oldDeadline is not null)
        {
            errs.Add(FieldError.Invalid(SpecPath.Child("activeDeadlineSeconds"), null, "must not update from a positive integer to nil value"));
        }

        errs.AddRange(ValidateOnlyAddedTolerations(JsonAccess.Arr(spec, "tolerations"), JsonAccess.Arr(oldSpec, "tolerations"), SpecPath.Child("tolerations")));
        errs.AddRange(ValidateOnlyDeletedSchedulingGates(JsonAccess.Arr(spec, "schedulingGates"), JsonAccess.Arr(oldSpec, "schedulingGates"),
            SpecPath.Child("schedulingGates")));

        if (JsonAccess.SemanticEquals(spec, oldSpec))
        {
            return errs;
        }

        // Put the updatable fields back to their old values; anything still different is forbidden.
        var munged = (JsonObject)spec.DeepClone();
        foreach (var list in new[] { "containers", "initContainers" })
        {
            if (JsonAccess.Arr(munged, list) is { } mungedList && JsonAccess.Arr(oldSpec, list) is { } oldList)
            {
                for (var i = 0; i < mungedList.Count && i < oldList.Count; i++)
                {
                    if (mungedList[i] is JsonObject c)
                    {
                        c["image"] = oldList[i]?["image"]?.DeepClone();
                    }
                }
            }
        }

        Restore(munged, oldSpec, "activeDeadlineSeconds");
        Restore(munged, oldSpec, "schedulingGates");
        Restore(munged, oldSpec, "tolerations");
        if (JsonAccess.Long(oldSpec, "terminationGracePeriodSeconds") is < 0 && JsonAccess.Long(munged, "terminationGracePeriodSeconds") == 1)
        {
            Restore(munged, oldSpec, "terminationGracePeriodSeconds");
        }

        if (JsonAccess.Count(oldSpec, "schedulingGates") > 0)
        {
            // Gated pods may add node selectors and node affinity terms; other changes are still reported below.
            var oldSelector = JsonAccess.StringMap(oldSpec["nodeSelector"]) ?? [];
            var newSelector = JsonAccess.StringMap(munged["nodeSelector"]) ?? [];
            if (!JsonAccess.SemanticEquals(munged["nodeSelector"], oldSpec["nodeSelector"]))
            {
                if (oldSelector.Any(p => !newSelector.TryGetValue(p.Key, out var v) || v != p.Value))
                {
                    errs.Add(FieldError.Invalid(SpecPath.Child("nodeSelector"), munged["nodeSelector"],
                        "only additions to spec.nodeSelector are allowed (no mutations or deletions)"));
                }

                Restore(munged, oldSpec, "nodeSelector");
            }
        }

        if (!JsonAccess.SemanticEquals(munged, oldSpec))
        {
            var diff = SpecDiff.Describe(oldSpec, munged, "spec");
            errs.Add(FieldError.Forbidden(SpecPath, "pod updates may not change fields other than " + UpdatableFields + "\n" + diff));
        }

        return errs;
    }

    public override FieldErrorList ValidateStatusUpdate(JsonObject obj, JsonObject old)
    {
        var errs = MetaUpdate(obj, old);
        errs.AddRange(ValidateAnnotationUpdates(obj, old));
        if (JsonAccess.Str(Spec(obj), "nodeName") != JsonAccess.Str(Spec(old), "nodeName"))
        {
            errs.Add(FieldError.Forbidden(FieldPath.Root("status", "nodeName"), "may not be changed directly"));
        }

        var status = JsonAccess.Obj(obj, "status");
        var nominated = JsonAccess.Str(status, "nominatedNodeName");
        if (nominated.Length > 0 && nominated != JsonAccess.Str(JsonAccess.Obj(old, "status"), "nominatedNodeName"))
        {
            errs.AddRange(NameRules.NameIsDnsSubdomain(nominated, false)
                .Select(m => FieldError.Invalid(FieldPath.Root("status", "nominatedNodeName"), nominated, m)));
        }

        errs.AddRange(CommonRules.Immutable(JsonAccess.Get(status, "qosClass"), JsonAccess.Get(JsonAccess.Obj(old, "status"), "qosClass"),
            FieldPath.Root("status", "qosClass")));
        return errs;
    }

    private FieldErrorList ValidateMetadataAndSpec(JsonObject obj)
    {
        var errs = Meta(obj);
        var meta = JsonAccess.Obj(obj, "metadata");
        var spec = Spec(obj);
        errs.AddRange(PodSpecRules.ValidatePodSpecificAnnotations(JsonAccess.Obj(meta, "annotations"), spec, MetadataPath.Child("annotations")));
        errs.AddRange(PodSpecRules.ValidatePodSpec(spec, meta, SpecPath, isPod: true));
        if (JsonAccess.Str(spec, "serviceAccountName").Length == 0)
        {
            foreach (var (vi, volume) in JsonAccess.Items(spec, "volumes"))
            {
                foreach (var (si, source) in JsonAccess.Items(JsonAccess.Obj(volume, "projected"), "sources"))
                {
                    if (JsonAccess.Has(source, "serviceAccountToken"))
                    {
                        errs.Add(FieldError.Forbidden(
                            SpecPath.Child("volumes").Index(vi).Child("projected", "sources").Index(si).Child("serviceAccountToken"),
                            "must not be specified when serviceAccountName is not set"));
                    }
                }
            }
        }

        foreach (var list in new[] { "containers", "initContainers" })
        {
            foreach (var (i, c) in JsonAccess.Items(spec, list))
            {
                errs.AddRange(PodSpecRules.ValidateImageWhitespace(c, SpecPath.Child(list).Index(i)));
            }
        }

        return errs;
    }

    private static FieldErrorList ValidateAnnotationUpdates(JsonObject obj, JsonObject old)
    {
        var errs = new FieldErrorList();
        var path = MetadataPath.Child("annotations");
        var newAnnotations = JsonAccess.StringMap(JsonAccess.Obj(JsonAccess.Obj(obj, "metadata"), "annotations")) ?? [];
        var oldAnnotations = JsonAccess.StringMap(JsonAccess.Obj(JsonAccess.Obj(old, "metadata"), "annotations")) ?? [];
        const string mirror = "kubernetes.io/config.mirror";
        const string appArmor = "container.apparmor.security.beta.kubernetes.io/";
        foreach (var (key, value) in oldAnnotations)
        {
            if (newAnnotations.TryGetValue(key, out var v) && v == value)
            {
                continue;
            }

            if (key.StartsWith(appArmor, StringComparison.Ordinal))
            {
                errs.Add(FieldError.Forbidden(path.Key(key), "may not remove or update AppArmor annotations"));
            }

            if (key == mirror)
            {
                errs.Add(FieldError.Forbidden(path.Key(key), "may not remove or update mirror pod annotation"));
            }
        }

        foreach (var key in newAnnotations.Keys.Where(k => !oldAnnotations.ContainsKey(k)))
        {
            if (key.StartsWith(appArmor, StringComparison.Ordinal))
            {
                errs.Add(FieldError.Forbidden(path.Key(key), "may not add AppArmor annotations"));
            }

            if (key == mirror)
            {
                errs.Add(FieldError.Forbidden(path.Key(key), "may not add mirror pod annotation"));
            }
        }

        return errs;
    }

    private static FieldErrorList ValidateOnlyAddedTolerations(JsonArray? newTolerations, JsonArray? oldTolerations, FieldPath path)
    {
        foreach (var old in oldTolerations ?? [])
        {
            var found = (newTolerations ?? []).Any(n =>
            {
                var a = old?.DeepClone() as JsonObject ?? [];
                var b = n?.DeepClone() as JsonObject ?? [];
                a.Remove("tolerationSeconds");
                b.Remove("tolerationSeconds");
                return JsonAccess.SemanticEquals(a, b);
            });
            if (!found)
            {
                return [FieldError.Forbidden(path, "existing toleration can not be modified except its tolerationSeconds")];
            }
        }

        return PodSpecRules.ValidateTolerations(newTolerations, path);
    }

    private static FieldErrorList ValidateOnlyDeletedSchedulingGates(JsonArray? newGates, JsonArray? oldGates, FieldPath path)
    {
        var errs = new FieldErrorList();
        var oldNames = new HashSet<string>((oldGates ?? []).Select(g => JsonAccess.Str(g, "name")), StringComparer.Ordinal);
        for (var i = 0; i < (newGates?.Count ?? 0); i++)
        {
            var name = JsonAccess.Str(newGates![i], "name");
            if (!oldNames.Contains(name))
            {
                errs.Add(FieldError.Forbidden(path.Index(i).Child("name"), $"only deletion is allowed, but found new scheduling gate '{name}'"));
            }
        }

        return errs;
    }

    private static void Restore(JsonObject target, JsonObject source, string key)
    {
        if (source[key] is { } value)
        {
            target[key] = value.DeepClone();
        }
        else
        {
            target.Remove(key);
        }
    }
}
