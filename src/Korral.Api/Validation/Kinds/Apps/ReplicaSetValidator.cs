using System.Text.Json.Nodes;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation.Kinds.Apps;

/// <summary>ReplicaSets (apps/v1): replicas, selector matching the template; the selector is immutable.</summary>
public sealed class ReplicaSetValidator : ObjectValidator
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
        errs.AddRange(WorkloadStatusRules.Validate(obj, old, ["replicas", "fullyLabeledReplicas", "readyReplicas", "availableReplicas"],
            ["fullyLabeledReplicas", "readyReplicas", "availableReplicas"]));
        return errs;
    }

    private static FieldErrorList ValidateSpec(JsonObject spec)
    {
        var errs = new FieldErrorList();
        errs.AddRange(CommonRules.NonNegative(JsonAccess.Long(spec, "replicas") ?? 0, SpecPath.Child("replicas")));
        errs.AddRange(CommonRules.NonNegative(JsonAccess.Long(spec, "minReadySeconds") ?? 0, SpecPath.Child("minReadySeconds")));
        var selector = AppsRules.ValidateSelector(spec, SpecPath, "deployment", errs);
        errs.AddRange(AppsRules.ValidatePodTemplateForReplicaSet(JsonAccess.Obj(spec, "template"), selector, SpecPath.Child("template"), "ReplicaSet"));
        return errs;
    }
}
