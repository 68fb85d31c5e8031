using System.Text.Json.Nodes;

namespace Korral.Api.Validation.Kinds.Core;

/// <summary>PodTemplates (v1): metadata and the template (<c>template</c>, not <c>spec.template</c>).</summary>
public sealed class PodTemplateValidator : ObjectValidator
{
    public override bool Namespaced => true;

    public override FieldErrorList ValidateCreate(JsonObject obj)
    {
        var errs = Meta(obj);
        errs.AddRange(PodSpecRules.ValidatePodTemplateSpec(JsonAccess.Obj(obj, "template"), FieldPath.Root("template")));
        return errs;
    }

    public override FieldErrorList ValidateUpdate(JsonObject obj, JsonObject old)
    {
        var errs = MetaUpdate(obj, old);
        errs.AddRange(PodSpecRules.ValidatePodTemplateSpec(JsonAccess.Obj(obj, "template"), FieldPath.Root("template")));
        return errs;
    }
}
