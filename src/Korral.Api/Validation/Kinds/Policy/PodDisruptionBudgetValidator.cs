using System.Text.Json.Nodes;
using Korral.Api.Validation.Kinds.Apps;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation.Kinds.Policy;

/// <summary>PodDisruptionBudgets (policy/v1): minAvailable or maxUnavailable (not both) as int or percent, a valid selector.</summary>
public sealed class PodDisruptionBudgetValidator : ObjectValidator
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

    public override FieldErrorList ValidateStatusUpdate(JsonObject obj, JsonObject old)
    {
        var errs = MetaUpdate(obj, old);
        var status = JsonAccess.Obj(obj, "status");
        foreach (var field in new[] { "disruptionsAllowed", "currentHealthy", "desiredHealthy", "expectedPods" })
        {
            errs.AddRange(CommonRules.NonNegative(status, field, FieldPath.Root("status")));
        }

        return errs;
    }

    private static FieldErrorList ValidateSpec(JsonObject spec)
    {
        var errs = new FieldErrorList();
        var minAvailable = spec["minAvailable"];
        var maxUnavailable = spec["maxUnavailable"];
        if (minAvailable is not null && maxUnavailable is not null)
        {
            errs.Add(FieldError.Invalid(SpecPath, spec, "minAvailable and maxUnavailable cannot be both set"));
        }

        foreach (var (field, value) in new[] { ("minAvailable", minAvailable), ("maxUnavailable", maxUnavailable) })
        {
            if (value is not null)
            {
                errs.AddRange(AppsRules.ValidatePositiveIntOrPercent(value, SpecPath.Child(field)));
                errs.AddRange(AppsRules.IsNotMoreThan100Percent(value, SpecPath.Child(field)));
            }
        }

        errs.AddRange(ObjectMetaRules.ValidateLabelSelector(JsonAccess.Get(spec, "selector"), SpecPath.Child("selector")));
        if (JsonAccess.String(spec, "unhealthyPodEvictionPolicy") is { } policy && policy is not ("AlwaysAllow" or "IfHealthyBudget"))
        {
            errs.Add(FieldError.NotSupported(SpecPath.Child("unhealthyPodEvictionPolicy"), policy, ["AlwaysAllow", "IfHealthyBudget"]));
        }

        return errs;
    }
}
