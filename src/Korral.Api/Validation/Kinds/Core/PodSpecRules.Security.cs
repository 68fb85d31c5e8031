using System.Text.Json.Nodes;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation.Kinds.Core;

public static partial class PodSpecRules
{
    private const long MaxId = 4294967295;

    private static FieldErrorList ValidatePodSecurityContext(JsonObject? sc, JsonObject spec, FieldPath path)
    {
        var errs = new FieldErrorList();
        if (sc is null)
        {
            return errs;
        }

        foreach (var field in new[] { "fsGroup", "runAsUser", "runAsGroup" })
        {
            errs.AddRange(IdRange(sc, field, path));
        }

        foreach (var (i, gid) in (JsonAccess.Arr(sc, "supplementalGroups") ?? []).Select((n, i) => (i, n)))
        {
            if (JsonAccess.TryGetLong(gid, out var g) && g is < 0 or > MaxId)
            {
                errs.Add(FieldError.Invalid(path.Child("supplementalGroups").Index(i), g, NameRules.InclusiveRangeError(0, MaxId)));
            }
        }

        if (JsonAccess.Bool(spec, "shareProcessNamespace") == true && JsonAccess.Bool(spec, "hostPID") == true)
        {
            errs.Add(FieldError.Invalid(path.Child("shareProcessNamespace"), true, "ShareProcessNamespace and HostPID cannot both be enabled"));
        }

        foreach (var (i, sysctl) in JsonAccess.Items(sc, "sysctls"))
        {
            var name = JsonAccess.Str(sysctl, "name");
            if (name.Length == 0)
            {
                errs.Add(FieldError.Required(path.Child("sysctls").Index(i).Child("name")));
            }
        }

        if (JsonAccess.String(sc, "fsGroupChangePolicy") is { } changePolicy && changePolicy is not ("Always" or "OnRootMismatch"))
        {
            errs.Add(FieldError.NotSupported(path.Child("fsGroupChangePolicy"), changePolicy, ["Always", "OnRootMismatch"]));
        }

        errs.AddRange(ValidateSeccompProfile(JsonAccess.Obj(sc, "seccompProfile"), path.Child("seccompProfile")));
        errs.AddRange(ValidateAppArmorProfile(JsonAccess.Obj(sc, "appArmorProfile"), path.Child("appArmorProfile")));
        if (JsonAccess.String(sc, "supplementalGroupsPolicy") is { } sgp && sgp is not ("Merge" or "Strict"))
        {
            errs.Add(FieldError.NotSupported(path.Child("supplementalGroupsPolicy"), sgp, ["Merge", "Strict"]));
        }

        if (JsonAccess.String(sc, "seLinuxChangePolicy") is { } selinux && selinux is not ("MountOption" or "Recursive"))
        {
            errs.Add(FieldError.NotSupported(path.Child("seLinuxChangePolicy"), selinux, ["MountOption", "Recursive"]));
        }

        return errs;
    }

    private static FieldErrorList ValidateContainerSecurityContext(JsonObject? sc, FieldPath path)
    {
        var errs = new FieldErrorList();
        if (sc is null)
        {
            return errs;
        }

        errs.AddRange(IdRange(sc, "runAsUser", path));
        errs.AddRange(IdRange(sc, "runAsGroup", path));
        if (JsonAccess.String(sc, "procMount") is { } procMount && procMount is not ("Default" or "Unmasked"))
        {
            errs.Add(FieldError.NotSupported(path.Child("procMount"), procMount, ["Default", "Unmasked"]));
        }

        errs.AddRange(ValidateSeccompProfile(JsonAccess.Obj(sc, "seccompProfile"), path.Child("seccompProfile")));
        if (JsonAccess.Bool(sc, "allowPrivilegeEscalation") == false)
        {
            if (JsonAccess.Bool(sc, "privileged") == true)
            {
                errs.Add(FieldError.Invalid(path, sc, "cannot set `allowPrivilegeEscalation` to false and `privileged` to true"));
            }

            if ((JsonAccess.StringList(JsonAccess.Obj(sc, "capabilities")?["add"]) ?? []).Contains("CAP_SYS_ADMIN"))
            {
                errs.Add(FieldError.Invalid(path, sc, "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN"));
            }
        }

        errs.AddRange(ValidateAppArmorProfile(JsonAccess.Obj(sc, "appArmorProfile"), path.Child("appArmorProfile")));
        return errs;
    }

    private static FieldErrorList IdRange(JsonObject sc, string field, FieldPath path) =>
        JsonAccess.Long(sc, field) is { } id && id is < 0 or > MaxId
            ? [FieldError.Invalid(path.Child(field), id, NameRules.InclusiveRangeError(0, MaxId))]
            : [];

    private static FieldErrorList ValidateSeccompProfile(JsonObject? profile, FieldPath path)
    {
        var errs = new FieldErrorList();
        if (profile is null)
        {
            return errs;
        }

        var type = JsonAccess.Str(profile, "type");
        switch (type)
        {
            case "Localhost" or "RuntimeDefault" or "Unconfined":
                break;
            case "":
                errs.Add(FieldError.Required(path.Child("type"), "type is required when seccompProfile is set"));
                break;
            default:
                errs.Add(FieldError.NotSupported(path.Child("type"), type, ["Localhost", "RuntimeDefault", "Unconfined"]));
                break;
        }

        var localhost = JsonAccess.String(profile, "localhostProfile");
        if (type == "Localhost")
        {
            if (localhost is null)
            {
                errs.Add(FieldError.Required(path.Child("localhostProfile"), "must be set when seccomp type is Localhost"));
            }
            else
            {
                errs.AddRange(ValidateLocalDescendingPath(localhost, path.Child("localhostProfile")));
            }
        }
        else if (localhost is not null)
        {
            errs.Add(FieldError.Invalid(path.Child("localhostProfile"), profile, "can only be set when seccomp type is Localhost"));
        }

        return errs;
    }

    private static FieldErrorList ValidateAppArmorProfile(JsonObject? profile, FieldPath path)
    {
        var errs = new FieldErrorList();
        if (profile is null)
        {
            return errs;
        }

        var type = JsonAccess.Str(profile, "type");
        switch (type)
        {
            case "Localhost" or "RuntimeDefault" or "Unconfined":
                break;
            case "":
                errs.Add(FieldError.Required(path.Child("type"), "type is required when appArmorProfile is set"));
                break;
            default:
                errs.Add(FieldError.NotSupported(path.Child("type"), type, ["Localhost", "RuntimeDefault", "Unconfined"]));
                break;
        }

        var localhost = JsonAccess.String(profile, "localhostProfile");
        if (type == "Localhost")
        {
            if (string.IsNullOrWhiteSpace(localhost))
            {
                errs.Add(FieldError.Required(path.Child("localhostProfile"), "must be set when AppArmor type is Localhost"));
            }
        }
        else if (localhost is not null)
        {
            errs.Add(FieldError.Invalid(path.Child("localhostProfile"), localhost, "can only be set when AppArmor type is Localhost"));
        }

        return errs;
    }
}
