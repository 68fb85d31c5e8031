using System.Text.Json.Nodes;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation.Kinds.Rbac;

/// <summary>Roles and ClusterRoles (rbac.authorization.k8s.io/v1): names are path segments; each rule well formed.</summary>
public sealed class RoleValidator : ObjectValidator
{
    private readonly bool namespaced;

    public RoleValidator(bool namespaced)
    {
        this.namespaced = namespaced;
    }

    public override bool Namespaced => namespaced;

    public override NameValidator NameRule => NameRules.NameIsPathSegment;

    public override FieldErrorList ValidateCreate(JsonObject obj)
    {
        var errs = Meta(obj);
        foreach (var (i, rule) in JsonAccess.Items(obj, "rules"))
        {
            errs.AddRange(RbacRules.ValidatePolicyRule(rule, namespaced, FieldPath.Root("rules").Index(i)));
        }

        if (!namespaced && JsonAccess.Obj(obj, "aggregationRule") is { } aggregation)
        {
            var selectors = JsonAccess.Arr(aggregation, "clusterRoleSelectors");
            if (selectors is null || selectors.Count == 0)
            {
                errs.Add(FieldError.Required(FieldPath.Root("aggregationRule", "clusterRoleSelectors"), "at least one clusterRoleSelector required if aggregationRule is non-nil"));
            }

            for (var i = 0; i < (selectors?.Count ?? 0); i++)
            {
                errs.AddRange(ObjectMetaRules.ValidateLabelSelector(selectors![i], FieldPath.Root("aggregationRule", "clusterRoleSelectors").Index(i)));
            }
        }

        return errs;
    }

    public override FieldErrorList ValidateUpdate(JsonObject obj, JsonObject old)
    {
        var errs = ValidateCreate(obj);
        errs.AddRange(MetaUpdate(obj, old));
        return errs;
    }
}
