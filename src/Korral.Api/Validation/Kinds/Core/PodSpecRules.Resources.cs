using System.Numerics;
using System.Text.Json.Nodes;
using Korral.Api.Validation.Quantities;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation.Kinds.Core;

public static partial class PodSpecRules
{
    /// <summary>
    /// Container resources: resource names, non-negative (and integral where required) quantities, requests not above
    /// limits (equal for extended resources and hugepages), hugepages sizes, claims that name pod resource claims.
    /// </summary>
    public static FieldErrorList ValidateResourceRequirements(JsonObject? resources, HashSet<string>? claimNames, FieldPath path)
    {
        var errs = new FieldErrorList();
        if (resources is null)
        {
            return errs;
        }

        var limPath = path.Child("limits");
        var reqPath = path.Child("requests");
        var limits = Quantities(JsonAccess.Obj(resources, "limits"));
        var requests = Quantities(JsonAccess.Obj(resources, "requests"));
        bool limCpuMem = false, reqCpuMem = false, limHuge = false, reqHuge = false;
        foreach (var (name, quantity) in limits)
        {
            var fldPath = limPath.Key(name);
            errs.AddRange(ValidateContainerResourceName(name, fldPath));
            errs.AddRange(ValidateResourceQuantityValue(name, quantity, fldPath));
            if (ResourceNames.IsHugePage(name))
            {
                limHuge = true;
                errs.AddRange(ValidateHugePageValue(name, quantity, fldPath));
            }

            limCpuMem |= name is "cpu" or "memory";
        }

        foreach (var (name, quantity) in requests)
        {
            var fldPath = reqPath.Key(name);
            errs.AddRange(ValidateContainerResourceName(name, fldPath));
            errs.AddRange(ValidateResourceQuantityValue(name, quantity, fldPath));
            if (limits.FirstOrDefault(l => l.Name == name) is { Name: not null } limit)
            {
                if (quantity != limit.Quantity && !ResourceNames.IsOvercommitAllowed(name))
                {
                    errs.Add(FieldError.Invalid(reqPath, quantity.ToString(), $"must be equal to {name} limit of {limit.Quantity}"));
                }
                else if (quantity > limit.Quantity)
                {
                    errs.Add(FieldError.Invalid(reqPath, quantity.ToString(), $"must be less than or equal to {name} limit of {limit.Quantity}"));
                }
            }
            else if (!ResourceNames.IsOvercommitAllowed(name))
            {
                errs.Add(FieldError.Required(limPath, "Limit must be set for non overcommitable resources"));
            }

            if (ResourceNames.IsHugePage(name))
            {
                reqHuge = true;
                errs.AddRange(ValidateHugePageValue(name, quantity, fldPath));
            }

            reqCpuMem |= name is "cpu" or "memory";
        }

        if (!limCpuMem && !reqCpuMem && (reqHuge || limHuge))
        {
            errs.Add(FieldError.Forbidden(path, "HugePages require cpu or memory"));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (i, claim) in JsonAccess.Items(resources, "claims"))
        {
            var name = JsonAccess.Str(claim, "name");
            if (name.Length == 0)
            {
                errs.Add(FieldError.Required(path.Child("claims").Index(i)));
                continue;
            }

            var key = JsonAccess.Str(claim, "request") is { Length: > 0 } request ? name + "/" + request : name;
            if (!seen.Add(key))
            {
                errs.Add(FieldError.Duplicate(path.Child("claims").Index(i), key));
            }

            if (claimNames is not null && !claimNames.Contains(name))
            {
                var detail = "must be one of the names in pod.spec.resourceClaims" +
                    (claimNames.Count == 0 ? " which is empty" : ": " + string.Join(", ", claimNames.Order(StringComparer.Ordinal)));
                errs.Add(new FieldError(FieldErrorType.NotFound, path.Child("claims").Index(i).ToString(), name, detail));
            }
        }

        return errs;
    }

    /// <summary>A quantity may not be negative; integer resources (extended, object counts) must be whole.</summary>
    internal static FieldErrorList ValidateResourceQuantityValue(string name, ResourceQuantity quantity, FieldPath path)
    {
        var errs = new FieldErrorList();
        if (quantity.Sign < 0)
        {
            errs.Add(FieldError.Invalid(path, quantity.ToString(), CommonRules.IsNegative));
        }

        if (ResourceNames.IsInteger(name) && quantity.MilliValue % 1000 != 0)
        {
            errs.Add(FieldError.Invalid(path, new GoLiteral(quantity.ToString()), "must be an integer"));
        }

        return errs;
    }

    /// <summary>A container resource name: a standard one (cpu, memory, ephemeral-storage, hugepages-*) or a fully qualified extended resource.</summary>
    internal static FieldErrorList ValidateContainerResourceName(string name, FieldPath path)
    {
        var errs = new FieldErrorList(NameRules.QualifiedName(name).Select(m => FieldError.Invalid(path, name, m)));
        if (errs.IsEmpty && !name.Contains('/') && !ResourceNames.IsStandard(name))
        {
            errs.Add(FieldError.Invalid(path, name, "must be a standard resource type or fully qualified"));
        }

        if (!name.Contains('/'))
        {
            if (!ResourceNames.IsStandardContainer(name))
            {
                errs.Add(FieldError.Invalid(path, name, "must be a standard resource for containers"));
            }
        }
        else if (!ResourceNames.IsNative(name) && !ResourceNames.IsExtended(name))
        {
            errs.Add(FieldError.Invalid(path, name, "doesn't follow extended resource name standard"));
        }

        return errs;
    }

    private static FieldErrorList ValidateHugePageValue(string name, ResourceQuantity quantity, FieldPath path)
    {
        if (!ResourceQuantity.TryParse(name["hugepages-".Length..], out var size, out _) || size.Sign <= 0)
        {
            return [];
        }

        var pageBytes = new BigInteger(size.Value);
        return quantity.IsMultipleOf(pageBytes)
            ? []
            : [FieldError.Invalid(path, quantity.ToString(), $"{quantity} is not positive integer multiple of {name}")];
    }

    private static List<(string Name, ResourceQuantity Quantity)> Quantities(JsonObject? list)
    {
        var result = new List<(string, ResourceQuantity)>();
        foreach (var (name, value) in list ?? [])
        {
            if (ResourceQuantity.TryParse(value, out var q, out _))
            {
                result.Add((name, q));
            }
        }

        return result;
    }
}
