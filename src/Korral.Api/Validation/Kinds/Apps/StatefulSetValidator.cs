using System.Text.Json.Nodes;
using Korral.Api.Validation.Kinds.Core;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation.Kinds.Apps;

/// <summary>
/// StatefulSets (apps/v1): names are DNS-1123 labels; policies, replicas, selector against template labels (the pod
/// spec itself is not validated, as upstream: its mounts may refer to claim templates); on update only replicas,
/// ordinals, template, updateStrategy, persistentVolumeClaimRetentionPolicy and minReadySeconds may change.
/// </summary>
public sealed class StatefulSetValidator : ObjectValidator
{
    public const string UpdateForbidden =
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

    private static readonly string[] Mutable = ["replicas", "template", "updateStrategy", "minReadySeconds", "ordinals", "persistentVolumeClaimRetentionPolicy"];

    public override bool Namespaced => true;

    public override NameValidator NameRule => NameRules.NameIsDnsLabel;

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
        var spec = (JsonObject)Spec(obj).DeepClone();
        var oldSpec = Spec(old);
        foreach (var field in Mutable)
        {
            if (oldSpec[field] is { } v)
            {
                spec[field] = v.DeepClone();
            }
            else
            {
                spec.Remove(field);
            }
        }

        if (!JsonAccess.SemanticEquals(spec, oldSpec))
        {
            errs.Add(FieldError.Forbidden(SpecPath, UpdateForbidden));
        }

        return errs;
    }

    public override FieldErrorList ValidateStatusUpdate(JsonObject obj, JsonObject old)
    {
        var errs = WorkloadStatusRules.Validate(obj, old, ["replicas", "readyReplicas", "currentReplicas", "updatedReplicas", "availableReplicas"],
            ["readyReplicas", "currentReplicas", "updatedReplicas", "availableReplicas"]);
        errs.AddRange(MetaUpdate(obj, old));
        return errs;
    }

    private static FieldErrorList ValidateSpec(JsonObject spec)
    {
        var errs = new FieldErrorList();
        var policy = JsonAccess.Str(spec, "podManagementPolicy");
        if (policy.Length == 0)
        {
            errs.Add(FieldError.Required(SpecPath.Child("podManagementPolicy")));
        }
        else if (policy is not ("OrderedReady" or "Parallel"))
        {
            errs.Add(FieldError.Invalid(SpecPath.Child("podManagementPolicy"), policy, "must be 'OrderedReady' or 'Parallel'"));
        }

        var strategy = JsonAccess.Obj(spec, "updateStrategy") ?? [];
        var strategyPath = SpecPath.Child("updateStrategy");
        var rollingUpdate = JsonAccess.Obj(strategy, "rollingUpdate");
        switch (JsonAccess.Str(strategy, "type"))
        {
            case "":
                errs.Add(FieldError.Required(strategyPath));
                break;
            case "OnDelete":
                if (rollingUpdate is not null)
                {
                    errs.Add(FieldError.Invalid(strategyPath.Child("rollingUpdate"), rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
                }

                break;
            case "RollingUpdate":
                if (rollingUpdate is not null)
                {
                    var ruPath = strategyPath.Child("rollingUpdate");
                    errs.AddRange(CommonRules.NonNegative(JsonAccess.Long(rollingUpdate, "partition") ?? 0, ruPath.Child("partition")));
                    if (rollingUpdate["maxUnavailable"] is { } maxUnavailable)
                    {
                        errs.AddRange(AppsRules.ValidatePositiveIntOrPercent(maxUnavailable, ruPath.Child("maxUnavailable")));
                        if (AppsRules.IntOrPercentValue(maxUnavailable) == 0)
                        {
                            errs.Add(FieldError.Invalid(ruPath.Child("maxUnavailable"), GoSyntax.IntOrString(maxUnavailable), "cannot be 0"));
                        }

                        errs.AddRange(AppsRules.IsNotMoreThan100Percent(maxUnavailable, ruPath.Child("maxUnavailable")));
                    }
                }

                break;
            default:
                errs.Add(FieldError.Invalid(strategyPath, strategy, "must be 'RollingUpdate' or 'OnDelete'"));
                break;
        }

        if (JsonAccess.Obj(spec, "persistentVolumeClaimRetentionPolicy") is { } retention)
        {
            foreach (var field in new[] { "whenDeleted", "whenScaled" })
            {
                var value = JsonAccess.Str(retention, field);
                if (value is not ("Retain" or "Delete"))
                {
                    errs.Add(FieldError.NotSupported(SpecPath.Child("persistentVolumeClaimRetentionPolicy", field), value, ["Retain", "Delete"]));
                }
            }
        }

        errs.AddRange(CommonRules.NonNegative(JsonAccess.Long(spec, "replicas") ?? 0, SpecPath.Child("replicas")));
        errs.AddRange(CommonRules.NonNegative(JsonAccess.Long(spec, "minReadySeconds") ?? 0, SpecPath.Child("minReadySeconds")));
        if (JsonAccess.Obj(spec, "ordinals") is { } ordinals)
        {
            errs.AddRange(CommonRules.NonNegative(JsonAccess.Long(ordinals, "start") ?? 0, SpecPath.Child("ordinals.start")));
        }

        var selector = AppsRules.ValidateSelector(spec, SpecPath, "statefulset", errs);
        var template = JsonAccess.Obj(spec, "template") ?? [];
        var templatePath = SpecPath.Child("template");
        var meta = JsonAccess.Obj(template, "metadata");
        errs.AddRange(AppsRules.ValidateSelectorMatchesTemplate(selector, template, templatePath));
        errs.AddRange(ObjectMetaRules.ValidateLabels(JsonAccess.Get(meta, "labels"), templatePath.Child("labels")));
        errs.AddRange(ObjectMetaRules.ValidateAnnotations(JsonAccess.Get(meta, "annotations"), templatePath.Child("annotations")));
        errs.AddRange(PodSpecRules.ValidatePodSpecificAnnotations(JsonAccess.Obj(meta, "annotations"), JsonAccess.Obj(template, "spec") ?? [],
            templatePath.Child("annotations")));
        errs.AddRange(AppsRules.RestartAlwaysNoDeadline(template, templatePath, "StatefulSet"));
        return errs;
    }
}
