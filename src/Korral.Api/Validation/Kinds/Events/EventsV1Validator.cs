using System.Text.Json.Nodes;
using Korral.Api.Validation.Kinds.Core;

namespace Korral.Api.Validation.Kinds.Events;

/// <summary>
/// Events of events.k8s.io/v1: metadata, an eventTime, type Normal or Warning, the reporting fields within their
/// limits, deprecated fields unset. Paths use upstream's internal names (as upstream reports them).
/// </summary>
public sealed class EventsV1Validator : ObjectValidator
{
    public override bool Namespaced => true;

    public override FieldErrorList ValidateCreate(JsonObject obj)
    {
        var errs = Meta(obj);
        if (!JsonAccess.Has(obj, "eventTime"))
        {
            errs.Add(FieldError.Required(FieldPath.Root("eventTime")));
        }

        var type = JsonAccess.Str(obj, "type");
        if (type is not ("Normal" or "Warning"))
        {
            errs.Add(FieldError.Invalid(FieldPath.Root("type"), "", $"has invalid value: {type}"));
        }

        if (JsonAccess.Has(obj, "deprecatedFirstTimestamp"))
        {
            errs.Add(FieldError.Invalid(FieldPath.Root("firstTimestamp"), "", "needs to be unset"));
        }

        if (JsonAccess.Has(obj, "deprecatedLastTimestamp"))
        {
            errs.Add(FieldError.Invalid(FieldPath.Root("lastTimestamp"), "", "needs to be unset"));
        }

        if ((JsonAccess.Long(obj, "deprecatedCount") ?? 0) != 0)
        {
            errs.Add(FieldError.Invalid(FieldPath.Root("count"), "", "needs to be unset"));
        }

        var source = JsonAccess.Obj(obj, "deprecatedSource");
        if (JsonAccess.Str(source, "component").Length > 0 || JsonAccess.Str(source, "host").Length > 0)
        {
            errs.Add(FieldError.Invalid(FieldPath.Root("source"), "", "needs to be unset"));
        }

        var controller = JsonAccess.Str(obj, "reportingController");
        if (controller.Length == 0)
        {
            errs.Add(FieldError.Required(FieldPath.Root("reportingController")));
        }

        errs.AddRange(PodSpecRules.QualifiedName(controller, FieldPath.Root("reportingController")));
        foreach (var (field, limit) in new[] { ("reportingInstance", 128), ("action", 128), ("reason", 128) })
        {
            var value = JsonAccess.Str(obj, field);
            if (value.Length == 0)
            {
                errs.Add(FieldError.Required(FieldPath.Root(field)));
            }
            else if (value.Length > limit)
            {
                errs.Add(FieldError.Invalid(FieldPath.Root(field), "", $"can have at most {limit} characters"));
            }
        }

        if (JsonAccess.Str(obj, "note").Length > 1024)
        {
            errs.Add(FieldError.Invalid(FieldPath.Root("message"), "", "can have at most 1024 characters"));
        }

        return errs;
    }

    public override FieldErrorList ValidateUpdate(JsonObject obj, JsonObject old)
    {
        var errs = ValidateCreate(obj);
        errs.AddRange(MetaUpdate(obj, old));
        foreach (var field in new[] { "action", "reason", "regarding", "related", "reportingController", "reportingInstance", "type", "eventTime" })
        {
            errs.AddRange(Rules.CommonRules.Immutable(obj[field], old[field], FieldPath.Root(field)));
        }

        return errs;
    }
}
