using System.Text;
using System.Text.Json.Nodes;
using Korral.Api.Validation.Kinds.Core;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation.Kinds.Storage;

/// <summary>StorageClasses (storage.k8s.io/v1): provisioner, parameters, reclaim policy, binding mode; most fields immutable.</summary>
public sealed class StorageClassValidator : ObjectValidator
{
    private const int MaxParameters = 512;
    private const int MaxParameterSize = 256 * 1024;

    public override bool Namespaced => false;

    public override FieldErrorList ValidateCreate(JsonObject obj)
    {
        var errs = Meta(obj);
        var provisioner = JsonAccess.Str(obj, "provisioner");
        if (provisioner.Length == 0)
        {
            errs.Add(FieldError.Required(FieldPath.Root("provisioner"), provisioner));
        }
        else
        {
            errs.AddRange(PodSpecRules.QualifiedName(provisioner.ToLowerInvariant(), FieldPath.Root("provisioner")));
        }

        var parameters = JsonAccess.Obj(obj, "parameters");
        if (parameters is { Count: > MaxParameters })
        {
            errs.Add(FieldError.TooLong(FieldPath.Root("parameters"), MaxParameters));
        }
        else if (parameters is not null)
        {
            long total = 0;
            foreach (var (key, value) in parameters)
            {
                if (key.Length < 1)
                {
                    errs.Add(FieldError.Invalid(FieldPath.Root("parameters"), key, "field can not be empty."));
                }

                total += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(JsonAccess.AsString(value) ?? "");
            }

            if (total > MaxParameterSize)
            {
                errs.Add(FieldError.TooLong(FieldPath.Root("parameters"), MaxParameterSize));
            }
        }

        var reclaim = JsonAccess.Str(obj, "reclaimPolicy");
        if (reclaim.Length > 0 && reclaim is not ("Delete" or "Retain"))
        {
            errs.Add(FieldError.NotSupported(FieldPath.Root("reclaimPolicy"), reclaim, ["Delete", "Retain"]));
        }

        if (JsonAccess.String(obj, "volumeBindingMode") is not { } mode)
        {
            errs.Add(FieldError.Required(FieldPath.Root("volumeBindingMode")));
        }
        else if (mode is not ("Immediate" or "WaitForFirstConsumer"))
        {
            errs.Add(FieldError.NotSupported(FieldPath.Root("volumeBindingMode"), mode, ["Immediate", "WaitForFirstConsumer"]));
        }

        foreach (var (i, term) in JsonAccess.Items(obj, "allowedTopologies"))
        {
            var tPath = FieldPath.Root("allowedTopologies").Index(i);
            if (JsonAccess.Count(term, "matchLabelExpressions") == 0)
            {
                errs.Add(FieldError.Required(tPath, "must contain at least one requirement"));
            }

            var keys = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (j, expr) in JsonAccess.Items(term, "matchLabelExpressions"))
            {
                var ePath = tPath.Child("matchLabelExpressions").Index(j);
                var values = JsonAccess.StringList(expr["values"]) ?? [];
                if (values.Count == 0)
                {
                    errs.Add(FieldError.Required(ePath.Child("values")));
                }

                for (var v = 0; v < values.Count; v++)
                {
                    if (values.Take(v).Contains(values[v]))
                    {
                        errs.Add(FieldError.Duplicate(ePath.Child("values").Index(v), values[v]));
                    }
                }

                var key = JsonAccess.Str(expr, "key");
                errs.AddRange(ObjectMetaRules.ValidateLabelName(key, ePath.Child("key")));
                if (!keys.Add(key))
                {
                    errs.Add(FieldError.Duplicate(ePath.Child("key"), key));
                }
            }
        }

        return errs;
    }

    public override FieldErrorList ValidateUpdate(JsonObject obj, JsonObject old)
    {
        var errs = MetaUpdate(obj, old);
        if (!JsonAccess.SemanticEquals(obj["parameters"], old["parameters"]))
        {
            errs.Add(FieldError.Forbidden(FieldPath.Root("parameters"), "updates to parameters are forbidden."));
        }

        if (JsonAccess.Str(obj, "provisioner") != JsonAccess.Str(old, "provisioner"))
        {
            errs.Add(FieldError.Forbidden(FieldPath.Root("provisioner"), "updates to provisioner are forbidden."));
        }

        if (JsonAccess.Str(obj, "reclaimPolicy") != JsonAccess.Str(old, "reclaimPolicy"))
        {
            errs.Add(FieldError.Forbidden(FieldPath.Root("reclaimPolicy"), "updates to reclaimPolicy are forbidden."));
        }

        errs.AddRange(CommonRules.Immutable(obj["volumeBindingMode"], old["volumeBindingMode"], FieldPath.Root("volumeBindingMode")));
        return errs;
    }
}
