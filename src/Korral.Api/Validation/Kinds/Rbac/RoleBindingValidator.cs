using System.Text.Json.Nodes;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation.Kinds.Rbac;

/// <summary>RoleBindings and ClusterRoleBindings (rbac.authorization.k8s.io/v1): a role reference (immutable) and subjects.</summary>
public sealed class RoleBindingValidator : ObjectValidator
{
    private readonly bool namespaced;

    public RoleBindingValidator(bool namespaced)
    {
        this.namespaced = namespaced;
    }

    public override bool Namespaced => namespaced;

    public override NameValidator NameRule => NameRules.NameIsPathSegment;

    public override FieldErrorList ValidateCreate(JsonObject obj)
    {
        var errs = Meta(obj);
        errs.AddRange(RbacRules.ValidateRoleRef(JsonAccess.Obj(obj, "roleRef"), namespaced ? ["Role", "ClusterRole"] : ["ClusterRole"]));
        foreach (var (i, subject) in JsonAccess.Items(obj, "subjects"))
        {
            errs.AddRange(RbacRules.ValidateSubject(subject, namespaced, FieldPath.Root("subjects").Index(i)));
        }

        return errs;
    }

    public override FieldErrorList ValidateUpdate(JsonObject obj, JsonObject old)
    {
        var errs = ValidateCreate(obj);
        errs.AddRange(MetaUpdate(obj, old));
        errs.AddRange(RbacRules.RoleRefImmutable(obj, old));
        return errs;
    }
}
