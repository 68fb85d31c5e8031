using System.Text.Json.Nodes;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation.Kinds.Core;

/// <summary>Namespaces (v1): cluster-scoped, names are DNS-1123 labels, <c>spec.finalizers</c> standard or qualified.</summary>
public sealed class NamespaceValidator : ObjectValidator
{
    public override bool Namespaced => false;

    public override NameValidator NameRule => NameRules.NameIsDnsLabel;

    public override FieldErrorList ValidateCreate(JsonObject obj)
    {
        var errs = Meta(obj);
        foreach (var finalizer in JsonAccess.StringList(Spec(obj)["finalizers"]) ?? [])
        {
            errs.AddRange(ValidateFinalizerName(finalizer, SpecPath.Child("finalizers")));
        }

        return errs;
    }

    public override FieldErrorList ValidateUpdate(JsonObject obj, JsonObject old) => MetaUpdate(obj, old);

    public override FieldErrorList ValidateStatusUpdate(JsonObject obj, JsonObject old)
    {
        var errs = MetaUpdate(obj, old);
        var phase = JsonAccess.Str(JsonAccess.Obj(obj, "status"), "phase");
        var deleting = JsonAccess.Has(JsonAccess.Obj(obj, "metadata"), "deletionTimestamp");
        if (!deleting && phase != "Active")
        {
            errs.Add(FieldError.Invalid(FieldPath.Root("status", "Phase"), phase, "may only be 'Active' if `deletionTimestamp` is empty"));
        }
        else if (deleting && phase != "Terminating")
        {
            errs.Add(FieldError.Invalid(FieldPath.Root("status", "Phase"), phase, "may only be 'Terminating' if `deletionTimestamp` is not empty"));
        }

        return errs;
    }

    /// <summary>The <c>finalize</c> subresource: each <c>spec.finalizers[i]</c> standard or qualified.</summary>
    public FieldErrorList ValidateFinalizeUpdate(JsonObject obj, JsonObject old)
    {
        var errs = MetaUpdate(obj, old);
        var list = JsonAccess.StringList(Spec(obj)["finalizers"]) ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            errs.AddRange(ValidateFinalizerName(list[i], SpecPath.Child("finalizers").Index(i)));
        }

        return errs;
    }

    private static FieldErrorList ValidateFinalizerName(string name, FieldPath path)
    {
        var errs = new FieldErrorList(NameRules.QualifiedName(name).Select(m => FieldError.Invalid(path, name, m)));
        errs.AddRange(ObjectMetaRules.ValidateKubeFinalizerName(name, path));
        return errs;
    }
}
