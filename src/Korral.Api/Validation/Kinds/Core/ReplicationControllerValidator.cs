using System.Text.Json.Nodes;
using Korral.Api.Selectors;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation.Kinds.Core;

/// <summary>ReplicationControllers (v1): a non-empty selector matching the template labels, replicas ≥ 0, restartPolicy Always.</summary>
public sealed class ReplicationControllerValidator : ObjectValidator
{
    public override bool Namespaced => true;

    public override FieldErrorList ValidateCreate(JsonObject obj)
    {
        var errs = Meta(obj);
        errs.AddRange(ValidateSpec(Spec(obj)));
        return errs;
    }

    public override FieldErrorList ValidateUpdate(JsonObject obj, JsonObject old)
    {
        var errs = MetaUpdate(obj, old);
        errs.AddRange(ValidateSpec(Spec(obj)));
        return errs;
    }

    private static FieldErrorList ValidateSpec(JsonObject spec)
    {
        var errs = new FieldErrorList();
        errs.AddRange(CommonRules.NonNegative(spec, "minReadySeconds", SpecPath));
        var selector = JsonAccess.Obj(spec, "selector");
        if (selector is null || selector.Count == 0)
        {
            errs.Add(FieldError.Required(SpecPath.Child("selector")));
        }

        errs.AddRange(CommonRules.NonNegative(spec, "replicas", SpecPath));
        var templatePath = SpecPath.Child("template");
        if (JsonAccess.Obj(spec, "template") is not { } template)
        {
            errs.Add(FieldError.Required(templatePath));
            return errs;
        }

        var labels = JsonAccess.Obj(JsonAccess.Obj(template, "metadata"), "labels");
        if (selector is { Count: > 0 } && !LabelSelector.FromSet(selector).Matches(labels))
        {
            errs.Add(FieldError.Invalid(templatePath.Child("metadata", "labels"), new GoLiteral(GoSyntax.StringMap(labels)),
                "`selector` does not match template `labels`"));
        }

        errs.AddRange(PodSpecRules.ValidatePodTemplateSpec(template, templatePath));
        var templateSpec = JsonAccess.Obj(template, "spec");
        var restart = JsonAccess.Str(templateSpec, "restartPolicy");
        if (restart != "Always")
        {
            errs.Add(FieldError.NotSupported(templatePath.Child("spec", "restartPolicy"), restart, ["Always"]));
        }

        if (JsonAccess.Has(templateSpec, "activeDeadlineSeconds"))
        {
            errs.Add(FieldError.Forbidden(templatePath.Child("spec", "activeDeadlineSeconds"), "activeDeadlineSeconds in ReplicationController is not Supported"));
        }

        return errs;
    }
}
