using System.Text.Json.Nodes;
using Korral.Api.Validation.Quantities;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation.Kinds.Core;

/// <summary>Rules shared by PersistentVolumeClaims, claim templates (StatefulSets, ephemeral volumes) and PersistentVolumes.</summary>
public static class PersistentVolumeClaimRules
{
    internal static readonly string[] AccessModes = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];
    internal static readonly string[] VolumeModes = ["Block", "Filesystem"];

    /// <summary>A claim spec: access modes, selector, a positive storage request, class name, volume mode, data sources.</summary>
    public static FieldErrorList ValidateClaimSpec(JsonObject spec, FieldPath path)
    {
        var errs = new FieldErrorList();
        var modes = JsonAccess.StringList(spec["accessModes"]) ?? [];
        if (modes.Count == 0)
        {
            errs.Add(FieldError.Required(path.Child("accessModes"), "at least 1 access mode is required"));
        }

        errs.AddRange(ObjectMetaRules.ValidateLabelSelector(JsonAccess.Get(spec, "selector"), path.Child("selector")));
        errs.AddRange(ValidateAccessModes(modes, path.Child("accessModes")));

        var storagePath = path.Child("resources").Key("storage");
        var storage = JsonAccess.Obj(JsonAccess.Obj(spec, "resources"), "requests")?["storage"];
        if (storage is null)
        {
            errs.Add(FieldError.Required(storagePath));
        }
        else if (ResourceQuantity.TryParse(storage, out var q, out _))
        {
            if (q.Sign <= 0)
            {
                errs.Add(FieldError.Invalid(storagePath, q.ToString(), CommonRules.NotPositive));
            }
        }

        if (JsonAccess.String(spec, "storageClassName") is { Length: > 0 } className)
        {
            errs.AddRange(NameRules.NameIsDnsSubdomain(className, false).Select(m => FieldError.Invalid(path.Child("storageClassName"), className, m)));
        }

        if (JsonAccess.String(spec, "volumeMode") is { } mode && !VolumeModes.Contains(mode))
        {
            errs.Add(FieldError.NotSupported(path.Child("volumeMode"), mode, VolumeModes));
        }

        var dataSource = JsonAccess.Obj(spec, "dataSource");
        if (dataSource is not null)
        {
            errs.AddRange(ValidateDataSource(dataSource, path.Child("dataSource"), allowNamespace: false));
        }

        if (JsonAccess.Obj(spec, "dataSourceRef") is { } dataSourceRef)
        {
            errs.AddRange(ValidateDataSource(dataSourceRef, path.Child("dataSourceRef"), allowNamespace: true));
            if (JsonAccess.Str(dataSourceRef, "namespace").Length > 0)
            {
                if (dataSource is not null)
                {
                    errs.Add(FieldError.Invalid(path, new GoLiteral(path.Child("dataSource").ToString()), "may not be specified when dataSourceRef.namespace is specified"));
                }
            }
            else if (dataSource is not null && (JsonAccess.Str(dataSource, "apiGroup") != JsonAccess.Str(dataSourceRef, "apiGroup")
                || JsonAccess.Str(dataSource, "kind") != JsonAccess.Str(dataSourceRef, "kind")
                || JsonAccess.Str(dataSource, "name") != JsonAccess.Str(dataSourceRef, "name")))
            {
                errs.Add(FieldError.Invalid(path, new GoLiteral(path.Child("dataSource").ToString()), "must match dataSourceRef"));
            }
        }

        if (JsonAccess.String(spec, "volumeAttributesClassName") is { Length: > 0 } vac)
        {
            errs.AddRange(NameRules.NameIsDnsSubdomain(vac, false).Select(m => FieldError.Invalid(path.Child("volumeAttributesClassName"), vac, m)));
        }

        return errs;
    }

    /// <summary>Known access modes, and ReadWriteOncePod not mixed with others.</summary>
    internal static FieldErrorList ValidateAccessModes(List<string> modes, FieldPath path)
    {
        var errs = new FieldErrorList();
        bool rwop = false, other = false;
        foreach (var mode in modes)
        {
            if (!AccessModes.Contains(mode))
            {
                errs.Add(FieldError.NotSupported(path, mode, AccessModes));
            }

            if (mode == "ReadWriteOncePod")
            {
                rwop = true;
            }
            else if (AccessModes.Contains(mode))
            {
                other = true;
            }
        }

        if (rwop && other)
        {
            errs.Add(FieldError.Forbidden(path, "may not use ReadWriteOncePod with other access modes"));
        }

        return errs;
    }

    private static FieldErrorList ValidateDataSource(JsonObject source, FieldPath path, bool allowNamespace)
    {
        var errs = new FieldErrorList();
        if (JsonAccess.Str(source, "name").Length == 0)
        {
            errs.Add(FieldError.Required(path.Child("name")));
        }

        var kind = JsonAccess.Str(source, "kind");
        if (kind.Length == 0)
        {
            errs.Add(FieldError.Required(path.Child("kind")));
        }

        var apiGroup = JsonAccess.Str(source, "apiGroup");
        if (apiGroup.Length == 0 && kind != "PersistentVolumeClaim")
        {
            errs.Add(FieldError.Invalid(path, kind, "must be 'PersistentVolumeClaim' when referencing the default apiGroup"));
        }

        if (apiGroup.Length > 0)
        {
            errs.AddRange(NameRules.Dns1123Subdomain(apiGroup).Select(m => FieldError.Invalid(path.Child("apiGroup"), apiGroup, m)));
        }

        if (allowNamespace && JsonAccess.String(source, "namespace") is { Length: > 0 } ns)
        {
            errs.AddRange(NameRules.NameIsDnsLabel(ns, false).Select(m => FieldError.Invalid(path.Child("namespace"), ns, m)));
        }

        return errs;
    }
}
