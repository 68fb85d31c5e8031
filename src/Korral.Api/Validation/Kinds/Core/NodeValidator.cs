using System.Text.Json.Nodes;
using Korral.Api.Validation.Quantities;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation.Kinds.Core;

/// <summary>Nodes (v1): taints, pod CIDRs (set once), provider ID (set once), resource quantities in status.</summary>
public sealed class NodeValidator : ObjectValidator
{
    public override bool Namespaced => false;

    public override FieldErrorList ValidateCreate(JsonObject obj)
    {
        var errs = Meta(obj);
        var spec = Spec(obj);
        if (JsonAccess.Count(spec, "taints") > 0)
        {
            errs.AddRange(PodSpecRules.ValidateTaints(JsonAccess.Arr(spec, "taints"), MetadataPath.Child("taints")));
        }

        errs.AddRange(ValidateNodeResources(obj));
        var cidrs = JsonAccess.StringList(spec["podCIDRs"]) ?? [];
        var cidrPath = SpecPath.Child("podCIDRs");
        for (var i = 0; i < cidrs.Count; i++)
        {
            errs.AddRange(FormatRules.Cidr(cidrPath.Index(i), cidrs[i]));
        }

        if (cidrs.Count > 1)
        {
            var families = cidrs.Select(c => FormatRules.ParseIp(c.Split('/')[0])?.AddressFamily).ToList();
            if (cidrs.Count > 2 || families[0] == families[1])
            {
                errs.Add(FieldError.Invalid(cidrPath, cidrs, "may specify no more than one CIDR for each IP family"));
            }

            for (var i = 1; i < cidrs.Count; i++)
            {
                if (cidrs.Take(i).Contains(cidrs[i]))
                {
                    errs.Add(FieldError.Duplicate(cidrPath.Index(i), cidrs[i]));
                }
            }
        }

        return errs;
    }

    public override FieldErrorList ValidateUpdate(JsonObject obj, JsonObject old)
    {
        var errs = MetaUpdate(obj, old);
        errs.AddRange(ValidateNodeResources(obj));
        var addresses = new List<JsonNode?>();
        foreach (var (i, address) in JsonAccess.Items(JsonAccess.Obj(obj, "status"), "addresses"))
        {
            if (addresses.Any(a => JsonAccess.SemanticEquals(a, address)))
            {
                errs.Add(FieldError.Duplicate(FieldPath.Root("status", "addresses").Index(i), address));
            }

            addresses.Add(address);
        }

        var spec = Spec(obj);
        var oldSpec = Spec(old);
        var oldCidrs = JsonAccess.StringList(oldSpec["podCIDRs"]) ?? [];
        var newCidrs = JsonAccess.StringList(spec["podCIDRs"]) ?? [];
        if (oldCidrs.Count > 0)
        {
            const string message = "node updates may not change podCIDR except from \"\" to valid";
            if (oldCidrs.Count != newCidrs.Count)
            {
                errs.Add(FieldError.Forbidden(SpecPath.Child("podCIDRs"), message));
            }
            else
            {
                for (var i = 0; i < oldCidrs.Count; i++)
                {
                    if (oldCidrs[i] != newCidrs[i])
                    {
                        errs.Add(FieldError.Forbidden(SpecPath.Child("podCIDRs"), message));
                    }
                }
            }
        }

        var oldProvider = JsonAccess.Str(oldSpec, "providerID");
        if (oldProvider.Length > 0 && oldProvider != JsonAccess.Str(spec, "providerID"))
        {
            errs.Add(FieldError.Forbidden(SpecPath.Child("providerID"), "node updates may not change providerID except from \"\" to valid"));
        }

        if (JsonAccess.Count(spec, "taints") > 0)
        {
            errs.AddRange(PodSpecRules.ValidateTaints(JsonAccess.Arr(spec, "taints"), MetadataPath.Child("taints")));
        }

        if (JsonAccess.Str(spec, "externalID") != JsonAccess.Str(oldSpec, "externalID"))
        {
            errs.Add(FieldError.Forbidden(SpecPath.Child("externalID"), "may not be updated"));
        }

        return errs;
    }

    public override FieldErrorList ValidateStatusUpdate(JsonObject obj, JsonObject old) => ValidateUpdate(obj, old);

    private static FieldErrorList ValidateNodeResources(JsonObject node)
    {
        var errs = new FieldErrorList();
        var status = JsonAccess.Obj(node, "status");
        foreach (var list in new[] { "capacity", "allocatable" })
        {
            foreach (var (name, value) in JsonAccess.Obj(status, list) ?? [])
            {
                if (ResourceQuantity.TryParse(value, out var q, out _))
                {
                    errs.AddRange(PodSpecRules.ValidateResourceQuantityValue(name, q, FieldPath.Root("status", list, name)));
                }
            }
        }

        return errs;
    }
}
