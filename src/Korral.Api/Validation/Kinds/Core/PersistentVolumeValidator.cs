using System.Text.Json.Nodes;
using Korral.Api.Validation.Quantities;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation.Kinds.Core;

/// <summary>PersistentVolumes (v1): access modes, a positive storage capacity, exactly one volume source, policies; the source is immutable.</summary>
public sealed class PersistentVolumeValidator : ObjectValidator
{
    private static readonly string[] ReclaimPolicies = ["Delete", "Recycle", "Retain"];

    private static readonly string[] Sources =
    [
        "hostPath", "gcePersistentDisk", "awsElasticBlockStore", "glusterfs", "flocker", "nfs", "rbd", "quobyte", "cephfs", "iscsi",
        "cinder", "fc", "flexVolume", "azureFile", "vsphereVolume", "photonPersistentDisk", "portworxVolume", "azureDisk", "scaleIO",
        "local", "storageos", "csi",
    ];

    public override bool Namespaced => false;

    public override FieldErrorList ValidateCreate(JsonObject obj)
    {
        var errs = Meta(obj);
        var spec = Spec(obj);
        var modes = JsonAccess.StringList(spec["accessModes"]) ?? [];
        if (modes.Count == 0)
        {
            errs.Add(FieldError.Required(SpecPath.Child("accessModes")));
        }

        errs.AddRange(PersistentVolumeClaimRules.ValidateAccessModes(modes, SpecPath.Child("accessModes")));
        var capacity = JsonAccess.Obj(spec, "capacity");
        if (capacity is null || capacity.Count == 0)
        {
            errs.Add(FieldError.Required(SpecPath.Child("capacity")));
        }

        if (capacity is null || !capacity.ContainsKey("storage") || capacity.Count > 1)
        {
            errs.Add(FieldError.NotSupported(SpecPath.Child("capacity"), new GoLiteral(ResourceListLiteral(capacity)), ["storage"]));
        }

        foreach (var (name, value) in capacity ?? [])
        {
            if (ResourceQuantity.TryParse(value, out var q, out _))
            {
                if (q.Sign < 0)
                {
                    errs.Add(FieldError.Invalid(SpecPath.Child("capacity").Key(name), q.Value, "must be a valid resource quantity"));
                }

                if (q.Sign <= 0)
                {
                    errs.Add(FieldError.Invalid(SpecPath.Child("capacity").Key(name), q.ToString(), CommonRules.NotPositive));
                }
            }
        }

        var reclaim = JsonAccess.Str(spec, "persistentVolumeReclaimPolicy");
        if (reclaim.Length > 0 && !ReclaimPolicies.Contains(reclaim))
        {
            errs.Add(FieldError.NotSupported(SpecPath.Child("persistentVolumeReclaimPolicy"), reclaim, ReclaimPolicies));
        }

        var affinitySet = false;
        if (JsonAccess.Obj(spec, "nodeAffinity") is { } affinity)
        {
            affinitySet = true;
            if (JsonAccess.Obj(affinity, "required") is { } required)
            {
                errs.AddRange(PodSpecRules.ValidateNodeSelector(required, SpecPath.Child("nodeAffinity", "required"), allowInvalidValues: false));
            }
            else
            {
                errs.Add(FieldError.Required(SpecPath.Child("nodeAffinity", "required"), "must specify required node constraints"));
            }
        }

        var count = 0;
        foreach (var source in Sources)
        {
            if (JsonAccess.Obj(spec, source) is not { } s)
            {
                continue;
            }

            if (count > 0 && source != "flexVolume")
            {
                errs.Add(FieldError.Forbidden(SpecPath.Child(source), "may not specify more than 1 volume type"));
                continue;
            }

            count++;
            switch (source)
            {
                case "hostPath":
                    if (JsonAccess.Str(s, "path").Length == 0)
                    {
                        errs.Add(FieldError.Required(SpecPath.Child("hostPath", "path")));
                    }
                    else
                    {
                        errs.AddRange(PodSpecRules.ValidatePathNoBacksteps(JsonAccess.Str(s, "path"), SpecPath.Child("hostPath", "path")));
                    }

                    break;
                case "local":
                    if (JsonAccess.Str(s, "path").Length == 0)
                    {
                        errs.Add(FieldError.Required(SpecPath.Child("local", "path")));
                    }

                    if (!affinitySet)
                    {
                        errs.Add(FieldError.Required(SpecPath.Child("nodeAffinity"), "Local volume requires node affinity"));
                    }

                    break;
                case "nfs":
                    if (JsonAccess.Str(s, "server").Length == 0)
                    {
                        errs.Add(FieldError.Required(SpecPath.Child("nfs", "server")));
                    }

                    if (!JsonAccess.Str(s, "path").StartsWith('/'))
                    {
                        errs.Add(FieldError.Invalid(SpecPath.Child("nfs", "path"), JsonAccess.Str(s, "path"), "must be an absolute path"));
                    }

                    break;
                case "csi":
                    errs.AddRange(PodSpecRules.ValidateCsiDriverName(JsonAccess.Str(s, "driver"), SpecPath.Child("csi", "driver")));
                    if (JsonAccess.Str(s, "volumeHandle").Length == 0)
                    {
                        errs.Add(FieldError.Required(SpecPath.Child("csi", "volumeHandle")));
                    }

                    break;
            }
        }

        if (count == 0)
        {
            errs.Add(FieldError.Required(SpecPath, "must specify a volume type"));
        }

        if (JsonAccess.Obj(spec, "hostPath") is { } hp && reclaim == "Recycle" && JsonAccess.Str(hp, "path").TrimEnd('/') is "")
        {
            errs.Add(FieldError.Forbidden(SpecPath.Child("persistentVolumeReclaimPolicy"), "may not be 'recycle' for a hostPath mount of '/'"));
        }

        if (JsonAccess.String(spec, "storageClassName") is { Length: > 0 } className)
        {
            errs.AddRange(NameRules.NameIsDnsSubdomain(className, false).Select(m => FieldError.Invalid(SpecPath.Child("storageClassName"), className, m)));
        }

        if (JsonAccess.String(spec, "volumeMode") is { } mode && !PersistentVolumeClaimRules.VolumeModes.Contains(mode))
        {
            errs.Add(FieldError.NotSupported(SpecPath.Child("volumeMode"), mode, PersistentVolumeClaimRules.VolumeModes));
        }

        return errs;
    }

    public override FieldErrorList ValidateUpdate(JsonObject obj, JsonObject old)
    {
        var errs = ValidateCreate(obj);
        var spec = Spec(obj);
        var oldSpec = Spec(old);
        var newSource = new JsonObject();
        var oldSource = new JsonObject();
        foreach (var source in Sources)
        {
            if (spec[source] is { } n)
            {
                newSource[source] = n.DeepClone();
            }

            if (oldSpec[source] is { } o)
            {
                oldSource[source] = o.DeepClone();
            }
        }

        if (JsonAccess.Obj(oldSource, "csi") is { } oldCsi && !JsonAccess.Has(oldCsi, "controllerExpandSecretRef")
            && JsonAccess.Obj(newSource, "csi") is { } newCsi)
        {
            newCsi.Remove("controllerExpandSecretRef");
        }

        if (!JsonAccess.SemanticEquals(newSource, oldSource))
        {
            errs.Add(FieldError.Forbidden(FieldPath.Root("spec", "persistentvolumesource"),
                "spec.persistentvolumesource is immutable after creation\n" + SpecDiff.Describe(oldSource, newSource, "spec")));
        }

        errs.AddRange(CommonRules.Immutable(spec["volumeMode"], oldSpec["volumeMode"], FieldPath.Root("volumeMode")));
        if (JsonAccess.Has(oldSpec, "nodeAffinity") && !JsonAccess.SemanticEquals(spec["nodeAffinity"], oldSpec["nodeAffinity"]))
        {
            errs.Add(FieldError.Invalid(FieldPath.Root("nodeAffinity"), spec["nodeAffinity"], "field is immutable, except for updating from beta label to GA"));
        }

        return errs;
    }

    private static string ResourceListLiteral(JsonObject? list)
    {
        if (list is null)
        {
            return "core.ResourceList(nil)";
        }

        var entries = list.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p =>
            GoSyntax.Quote(p.Key) + ":" + (ResourceQuantity.TryParse(p.Value, out var q, out _) ? q.ToString() : GoSyntax.FromJson(p.Value)));
        return "core.ResourceList{" + string.Join(", ", entries) + "}";
    }
}
