using System.Text.Json.Nodes;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation.Kinds.Apps;

/// <summary>Status subresource checks of the workload kinds: counts not negative, not above replicas, collisionCount not decremented.</summary>
internal static class WorkloadStatusRules
{
    public static FieldErrorList Validate(JsonObject obj, JsonObject old, string[] nonNegative, string[] notAboveReplicas)
    {
        var errs = new FieldErrorList();
        var status = JsonAccess.Obj(obj, "status") ?? [];
        var path = FieldPath.Root("status");
        foreach (var field in nonNegative.Append("observedGeneration").Append("collisionCount"))
        {
            errs.AddRange(CommonRules.NonNegative(status, field, path));
        }

        var replicas = JsonAccess.Long(status, "replicas") ?? 0;
        foreach (var field in notAboveReplicas)
        {
            if (JsonAccess.Long(status, field) is { } v && v > replicas)
            {
                errs.Add(FieldError.Invalid(path.Child(field), v, "cannot be greater than status.replicas"));
            }
        }

        var oldCollisions = JsonAccess.Long(JsonAccess.Obj(old, "status"), "collisionCount");
        var newCollisions = JsonAccess.Long(status, "collisionCount");
        if (oldCollisions is { } oc && (newCollisions is null || newCollisions < oc))
        {
            errs.Add(FieldError.Invalid(path.Child("collisionCount"), newCollisions ?? 0, "cannot be decremented"));
        }

        return errs;
    }
}
