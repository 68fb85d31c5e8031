using System.Text.Json.Nodes;

namespace Korral.Api.Validation.Kinds.Coordination;

/// <summary>Leases (coordination.k8s.io/v1): a positive lease duration, non-negative transitions.</summary>
public sealed class LeaseValidator : ObjectValidator
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
        if (JsonAccess.Long(spec, "leaseDurationSeconds") is <= 0 and var duration)
        {
            errs.Add(FieldError.Invalid(SpecPath.Child("leaseDurationSeconds"), duration, "must be greater than 0"));
        }

        if (JsonAccess.Long(spec, "leaseTransitions") is < 0 and var transitions)
        {
            errs.Add(FieldError.Invalid(SpecPath.Child("leaseTransitions"), transitions, "must be greater than or equal to 0"));
        }

        if (JsonAccess.String(spec, "strategy") is { } strategy && strategy != "OldestEmulationVersion")
        {
            errs.Add(FieldError.NotSupported(SpecPath.Child("strategy"), strategy, ["OldestEmulationVersion"]));
        }

        return errs;
    }
}
