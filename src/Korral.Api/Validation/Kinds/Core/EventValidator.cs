using System.Text.Json.Nodes;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation.Kinds.Core;

/// <summary>
/// Events (core v1, upstream's legacy rules): the namespace must match the involved object's, and events with an
/// eventTime need reportingController, reportingInstance, action and reason within their limits.
/// </summary>
public sealed class EventValidator : ObjectValidator
{
    public override bool Namespaced => true;

    public override FieldErrorList ValidateCreate(JsonObject obj)
    {
        var errs = new FieldErrorList();
        var ns = JsonAccess.Str(JsonAccess.Obj(obj, "metadata"), "namespace");
        var involvedNs = JsonAccess.Str(JsonAccess.Obj(obj, "involvedObject"), "namespace");
        var involvedPath = FieldPath.Root("involvedObject", "namespace");
        if (!JsonAccess.Has(obj, "eventTime"))
        {
            if (involvedNs.Length == 0 ? ns is not ("" or "default") : ns != involvedNs)
            {
                errs.Add(FieldError.Invalid(involvedPath, involvedNs, "does not match event.namespace"));
            }
        }
        else
        {
            if (involvedNs.Length == 0 && ns is not ("default" or "kube-system"))
            {
                errs.Add(FieldError.Invalid(involvedPath, involvedNs, "does not match event.namespace"));
            }

            var controller = JsonAccess.Str(obj, "reportingComponent");
            if (controller.Length == 0)
            {
                errs.Add(FieldError.Required(FieldPath.Root("source")));
            }

            errs.AddRange(PodSpecRules.QualifiedName(controller, FieldPath.Root("source")));
            errs.AddRange(Limited(obj, "reportingInstance", 128));
            errs.AddRange(Limited(obj, "action", 128));
            errs.AddRange(Limited(obj, "reason", 128));
            if (JsonAccess.Str(obj, "message").Length > 1024)
            {
                errs.Add(FieldError.Invalid(FieldPath.Root("message"), "", "can have at most 1024 characters"));
            }
        }

        errs.AddRange(NameRules.Dns1123Subdomain(ns).Select(m => FieldError.Invalid(FieldPath.Root("namespace"), ns, m)));
        return errs;
    }

    public override FieldErrorList ValidateUpdate(JsonObject obj, JsonObject old)
    {
        var errs = ValidateCreate(obj);
        errs.AddRange(MetaUpdate(obj, old));
        return errs;
    }

    private static FieldErrorList Limited(JsonObject obj, string field, int limit)
    {
        var value = JsonAccess.Str(obj, field);
        if (value.Length == 0)
        {
            return [FieldError.Required(FieldPath.Root(field))];
        }

        return value.Length > limit ? [FieldError.Invalid(FieldPath.Root(field), "", $"can have at most {limit} characters")] : [];
    }
}
