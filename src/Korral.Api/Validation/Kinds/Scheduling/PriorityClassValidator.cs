using System.Text.Json.Nodes;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation.Kinds.Scheduling;

/// <summary>
/// PriorityClasses (scheduling.k8s.io/v1): the <c>system-</c> prefix is reserved for the two built-in classes, user
/// values are at most 1000000000; value and preemptionPolicy are immutable.
/// </summary>
public sealed class PriorityClassValidator : ObjectValidator
{
    /// <summary>The highest value a user-defined class may have.</summary>
    public const long HighestUserDefinablePriority = 1000000000;

    /// <summary>The built-in classes and their values.</summary>
    public static readonly IReadOnlyDictionary<string, long> SystemClasses = new Dictionary<string, long>(StringComparer.Ordinal)
    {
        ["system-node-critical"] = 2000001000,
        ["system-cluster-critical"] = 2000000000,
    };

    public override bool Namespaced => false;

    public override FieldErrorList ValidateCreate(JsonObject obj)
    {
        var errs = Meta(obj);
        var name = JsonAccess.Str(JsonAccess.Obj(obj, "metadata"), "name");
        var value = JsonAccess.Long(obj, "value") ?? 0;
        if (name.StartsWith("system-", StringComparison.Ordinal))
        {
            string? problem = null;
            if (!SystemClasses.TryGetValue(name, out var expected))
            {
                problem = $"{name} is not a known system priority class";
            }
            else if (value != expected)
            {
                problem = $"value of {name} PriorityClass must be {expected}";
            }
            else if (JsonAccess.Bool(obj, "globalDefault") == true)
            {
                problem = $"globalDefault of {name} PriorityClass must be false";
            }

            if (problem is not null)
            {
                errs.Add(FieldError.Forbidden(MetadataPath.Child("name"),
                    "priority class names with 'system-' prefix are reserved for system use only. error: " + problem));
            }
        }
        else if (value > HighestUserDefinablePriority)
        {
            errs.Add(FieldError.Forbidden(FieldPath.Root("value"), $"maximum allowed value of a user defined priority is {HighestUserDefinablePriority}"));
        }

        if (JsonAccess.String(obj, "preemptionPolicy") is { } policy)
        {
            if (policy.Length == 0)
            {
                errs.Add(FieldError.Required(FieldPath.Root("preemptionPolicy")));
            }
            else if (policy is not ("PreemptLowerPriority" or "Never"))
            {
                errs.Add(FieldError.NotSupported(FieldPath.Root("preemptionPolicy"), policy, ["PreemptLowerPriority", "Never"]));
            }
        }

        return errs;
    }

    public override FieldErrorList ValidateUpdate(JsonObject obj, JsonObject old)
    {
        var errs = MetaUpdate(obj, old);
        if (JsonAccess.Long(obj, "value") != JsonAccess.Long(old, "value"))
        {
            errs.Add(FieldError.Forbidden(FieldPath.Root("value"), "may not be changed in an update."));
        }

        errs.AddRange(CommonRules.Immutable(obj["preemptionPolicy"], old["preemptionPolicy"], FieldPath.Root("preemptionPolicy")));
        return errs;
    }
}
