using System.Text.Json.Nodes;
using Korral.Api.Selectors;
using Korral.Api.Validation.Kinds.Core;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation.Kinds.Apps;

/// <summary>DaemonSets (apps/v1): selector matching the template, a valid pod template, update strategy; the selector is immutable.</summary>
public sealed class DaemonSetValidator : ObjectValidator
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
        errs.AddRange(AppsRules.SelectorImmutable(Spec(obj), Spec(old), SpecPath));
        return errs;
    }

    public override FieldErrorList ValidateStatusUpdate(JsonObject obj, JsonObject old)
    {
        var errs = MetaUpdate(obj, old);
        errs.AddRange(WorkloadStatusRules.Validate(obj, old,
            ["currentNumberScheduled", "numberMisscheduled", "desiredNumberScheduled", "numberReady", "updatedNumberScheduled", "numberAvailable", "numberUnavailable"],
            []));
        return errs;
    }

    private static FieldErrorList ValidateSpec(JsonObject spec)
    {
        var errs = new FieldErrorList();
        var selectorNode = JsonAccess.Obj(spec, "selector");
        errs.AddRange(ObjectMetaRules.ValidateLabelSelector(selectorNode, SpecPath.Child("selector")));
        var template = JsonAccess.Obj(spec, "template") ?? [];
        var templatePath = SpecPath.Child("template");
        if (LabelSelector.TryFromLabelSelector(selectorNode, out var selector, out _)
            && !selector.Matches(JsonAccess.Obj(JsonAccess.Obj(template, "metadata"), "labels")))
        {
            errs.Add(FieldError.Invalid(templatePath.Child("metadata", "labels"),
                new GoLiteral(GoSyntax.StringMap(JsonAccess.Obj(JsonAccess.Obj(template, "metadata"), "labels"))), "`selector` does not match template `labels`"));
        }

        if (selectorNode is not null && JsonAccess.Count(selectorNode, "matchLabels") + JsonAccess.Count(selectorNode, "matchExpressions") == 0)
        {
            errs.Add(FieldError.Invalid(SpecPath.Child("selector"), GoSyntax.LabelSelector(selectorNode), "empty selector is invalid for daemonset"));
        }

        errs.AddRange(PodSpecRules.ValidatePodTemplateSpec(template, templatePath));
        errs.AddRange(AppsRules.RestartAlwaysNoDeadline(template, templatePath, "DaemonSet"));
        errs.AddRange(CommonRules.NonNegative(JsonAccess.Long(spec, "minReadySeconds") ?? 0, SpecPath.Child("minReadySeconds")));

        var strategy = JsonAccess.Obj(spec, "updateStrategy") ?? [];
        var strategyPath = SpecPath.Child("updateStrategy");
        var type = JsonAccess.Str(strategy, "type");
        switch (type)
        {
            case "OnDelete":
                break;
            case "RollingUpdate":
                if (JsonAccess.Obj(strategy, "rollingUpdate") is not { } rollingUpdate)
                {
                    errs.Add(FieldError.Required(strategyPath.Child("rollingUpdate")));
                    break;
                }

                var ruPath = strategyPath.Child("rollingUpdate");
                var maxUnavailable = rollingUpdate["maxUnavailable"];
                var maxSurge = rollingUpdate["maxSurge"];
                errs.AddRange(AppsRules.ValidatePositiveIntOrPercent(maxUnavailable, ruPath.Child("maxUnavailable")));
                errs.AddRange(AppsRules.ValidatePositiveIntOrPercent(maxSurge, ruPath.Child("maxSurge")));
                errs.AddRange(AppsRules.IsNotMoreThan100Percent(maxUnavailable, ruPath.Child("maxUnavailable")));
                errs.AddRange(AppsRules.IsNotMoreThan100Percent(maxSurge, ruPath.Child("maxSurge")));
                var hasUnavailable = AppsRules.IntOrPercentValue(maxUnavailable) != 0;
                var hasSurge = AppsRules.IntOrPercentValue(maxSurge) != 0;
                if (hasUnavailable && hasSurge)
                {
                    errs.Add(FieldError.Invalid(ruPath.Child("maxSurge"), GoSyntax.IntOrString(maxSurge), "may not be set when maxUnavailable is non-zero"));
                }
                else if (!hasUnavailable && !hasSurge)
                {
                    errs.Add(FieldError.Required(ruPath.Child("maxUnavailable"), "cannot be 0 when maxSurge is 0"));
                }

                break;
            default:
                errs.Add(FieldError.NotSupported(strategyPath, new GoLiteral(
                    $"apps.DaemonSetUpdateStrategy{{Type:{GoSyntax.Quote(type)}, RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}}"),
                    ["RollingUpdate", "OnDelete"]));
                break;
        }

        errs.AddRange(CommonRules.NonNegative(spec, "revisionHistoryLimit", SpecPath));
        return errs;
    }
}
