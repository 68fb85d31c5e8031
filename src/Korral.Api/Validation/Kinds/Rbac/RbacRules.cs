using System.Text.Json.Nodes;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation.Kinds.Rbac;

/// <summary>Shared RBAC rules: policy rules, role references and subjects.</summary>
public static class RbacRules
{
    public const string GroupName = "rbac.authorization.k8s.io";

    /// <summary>A policy rule: verbs, and either resources with API groups or (cluster roles only) non-resource URLs.</summary>
    public static FieldErrorList ValidatePolicyRule(JsonObject rule, bool namespaced, FieldPath path)
    {
        var errs = new FieldErrorList();
        if (JsonAccess.Count(rule, "verbs") == 0)
        {
            errs.Add(FieldError.Required(path.Child("verbs"), "verbs must contain at least one value"));
        }

        if (JsonAccess.Count(rule, "nonResourceURLs") > 0)
        {
            var urls = JsonAccess.StringList(rule["nonResourceURLs"]);
            if (namespaced)
            {
                errs.Add(FieldError.Invalid(path.Child("nonResourceURLs"), urls, "namespaced rules cannot apply to non-resource URLs"));
            }

            if (JsonAccess.Count(rule, "apiGroups") > 0 || JsonAccess.Count(rule, "resources") > 0 || JsonAccess.Count(rule, "resourceNames") > 0)
            {
                errs.Add(FieldError.Invalid(path.Child("nonResourceURLs"), urls, "rules cannot apply to both regular resources and non-resource URLs"));
            }

            return errs;
        }

        if (JsonAccess.Count(rule, "apiGroups") == 0)
        {
            errs.Add(FieldError.Required(path.Child("apiGroups"), "resource rules must supply at least one api group"));
        }

        if (JsonAccess.Count(rule, "resources") == 0)
        {
            errs.Add(FieldError.Required(path.Child("resources"), "resource rules must supply at least one resource"));
        }

        return errs;
    }

    /// <summary>A role reference: the RBAC group, a kind among <paramref name="kinds"/>, a name.</summary>
    public static FieldErrorList ValidateRoleRef(JsonObject? roleRef, string[] kinds)
    {
        var errs = new FieldErrorList();
        var path = FieldPath.Root("roleRef");
        var apiGroup = JsonAccess.Str(roleRef, "apiGroup");
        if (apiGroup != GroupName)
        {
            errs.Add(FieldError.NotSupported(path.Child("apiGroup"), apiGroup, [GroupName]));
        }

        var kind = JsonAccess.Str(roleRef, "kind");
        if (!kinds.Contains(kind))
        {
            errs.Add(FieldError.NotSupported(path.Child("kind"), kind, kinds));
        }

        var name = JsonAccess.Str(roleRef, "name");
        if (name.Length == 0)
        {
            errs.Add(FieldError.Required(path.Child("name")));
        }
        else
        {
            errs.AddRange(NameRules.PathSegmentName(name).Select(m => FieldError.Invalid(path.Child("name"), name, m)));
        }

        return errs;
    }

    /// <summary>A subject: a name, and a kind with its group (ServiceAccounts in the core group and, for cluster bindings, a namespace).</summary>
    public static FieldErrorList ValidateSubject(JsonObject subject, bool namespaced, FieldPath path)
    {
        var errs = new FieldErrorList();
        var name = JsonAccess.Str(subject, "name");
        if (name.Length == 0)
        {
            errs.Add(FieldError.Required(path.Child("name")));
        }

        var apiGroup = JsonAccess.Str(subject, "apiGroup");
        switch (JsonAccess.Str(subject, "kind"))
        {
            case "ServiceAccount":
                if (name.Length > 0)
                {
                    errs.AddRange(NameRules.NameIsDnsSubdomain(name, false).Select(m => FieldError.Invalid(path.Child("name"), name, m)));
                }

                if (apiGroup.Length > 0)
                {
                    errs.Add(FieldError.NotSupported(path.Child("apiGroup"), apiGroup, [""]));
                }

                if (!namespaced && JsonAccess.Str(subject, "namespace").Length == 0)
                {
                    errs.Add(FieldError.Required(path.Child("namespace")));
                }

                break;
            case "User" or "Group":
                if (apiGroup != GroupName)
                {
                    errs.Add(FieldError.NotSupported(path.Child("apiGroup"), apiGroup, [GroupName]));
                }

                break;
            default:
                errs.Add(FieldError.NotSupported(path.Child("kind"), JsonAccess.Str(subject, "kind"), ["ServiceAccount", "User", "Group"]));
                break;
        }

        return errs;
    }

    /// <summary><c>roleRef: Invalid value: rbac.RoleRef{…}: cannot change roleRef</c>.</summary>
    public static FieldErrorList RoleRefImmutable(JsonObject obj, JsonObject old)
    {
        var roleRef = JsonAccess.Obj(obj, "roleRef");
        if (JsonAccess.SemanticEquals(roleRef, old["roleRef"]))
        {
            return [];
        }

        var literal = $"rbac.RoleRef{{APIGroup:{GoSyntax.Quote(JsonAccess.Str(roleRef, "apiGroup"))}, Kind:{GoSyntax.Quote(JsonAccess.Str(roleRef, "kind"))}, Name:{GoSyntax.Quote(JsonAccess.Str(roleRef, "name"))}}}";
        return [FieldError.Invalid(FieldPath.Root("roleRef"), new GoLiteral(literal), "cannot change roleRef")];
    }
}
