using System.Text.Json.Nodes;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation.Kinds.Apps;

/// <summary>Deployments (apps/v1): replicas, selector and template, strategy, deadlines; the selector is immutable.</summary>
public sealed class DeploymentValidator : ObjectValidator
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
        errs.AddRange(WorkloadStatusRules.Validate(obj, old, ["replicas", "updatedReplicas", "readyReplicas", "availableReplicas", "unavailableReplicas"],
            ["updatedReplicas", "readyReplicas", "availableReplicas"]));
        return errs;
    }

    private static FieldErrorList ValidateSpec(JsonObject spec)
    {
        var errs = new FieldErrorList();
        errs.AddRange(CommonRules.NonNegative(JsonAccess.Long(spec, "replicas") ?? 0, SpecPath.Child("replicas")));
        var selector = AppsRules.ValidateSelector(spec, SpecPath, "deployment", errs);
        errs.AddRange(AppsRules.ValidatePodTemplateForReplicaSet(JsonAccess.Obj(spec, "template"), selector, SpecPath.Child("template"), "ReplicaSet"));

        var strategy = JsonAccess.Obj(spec, "strategy") ?? [];
        var strategyPath = SpecPath.Child("strategy");
        var rollingUpdate = JsonAccess.Obj(strategy, "rollingUpdate");
        switch (JsonAccess.Str(strategy, "type"))
        {
            case "Recreate":
                if (rollingUpdate is not null)
                {
                    errs.Add(FieldError.Forbidden(strategyPath.Child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'"));
                }

                break;
            case "RollingUpdate":
                if (rollingUpdate is null)
                {
                    errs.Add(FieldError.Required(strategyPath.Child("rollingUpdate"), "this should be defaulted and never be nil"));
                }
                else
                {
                    var ruPath = strategyPath.Child("rollingUpdate");
                    var maxUnavailable = rollingUpdate["maxUnavailable"];
                    var maxSurge = rollingUpdate["maxSurge"];
                    errs.AddRange(AppsRules.ValidatePositiveIntOrPercent(maxUnavailable, ruPath.Child("maxUnavailable")));
                    errs.AddRange(AppsRules.ValidatePositiveIntOrPercent(maxSurge, ruPath.Child("maxSurge")));
                    if (AppsRules.IntOrPercentValue(maxUnavailable) == 0 && AppsRules.IntOrPercentValue(maxSurge) == 0)
                    {
                        errs.Add(FieldError.Invalid(ruPath.Child("maxUnavailable"), GoSyntax.IntOrString(maxUnavailable), "may not be 0 when `maxSurge` is 0"));
                    }

                    errs.AddRange(AppsRules.IsNotMoreThan100Percent(maxUnavailable, ruPath.Child("maxUnavailable")));
                }

                break;
            default:
                var literal = $"apps.DeploymentStrategy{{Type:{GoSyntax.Quote(JsonAccess.Str(strategy, "type"))}, RollingUpdate:(*apps.RollingUpdateDeployment)({(rollingUpdate is null ? "nil" : "...")})}}";
                errs.Add(FieldError.NotSupported(strategyPath, new GoLiteral(literal), ["Recreate", "RollingUpdate"]));
                break;
        }

        var minReady = JsonAccess.Long(spec, "minReadySeconds") ?? 0;
        errs.AddRange(CommonRules.NonNegative(minReady, SpecPath.Child("minReadySeconds")));
        errs.AddRange(CommonRules.NonNegative(spec, "revisionHistoryLimit", SpecPath));
        if (JsonAccess.Long(spec, "progressDeadlineSeconds") is { } deadline)
        {
            errs.AddRange(CommonRules.NonNegative(deadline, SpecPath.Child("progressDeadlineSeconds")));
            if (deadline <= minReady)
            {
                errs.Add(FieldError.Invalid(SpecPath.Child("progressDeadlineSeconds"), deadline, "must be greater than minReadySeconds"));
            }
        }

        return errs;
    }
}
