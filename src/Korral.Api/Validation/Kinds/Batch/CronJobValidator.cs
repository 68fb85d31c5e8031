using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation.Kinds.Batch;

/// <summary>
/// CronJobs (batch/v1): names of at most 52 characters on create (room for the job suffix), a parseable schedule
/// without TZ (use timeZone), a known time zone, the concurrency policy and a job template without selector.
/// </summary>
public sealed partial class CronJobValidator : ObjectValidator
{
    public override bool Namespaced => true;

    public override FieldErrorList ValidateCreate(JsonObject obj)
    {
        var errs = Meta(obj);
        errs.AddRange(ValidateSpec(Spec(obj), null));
        var name = JsonAccess.Str(JsonAccess.Obj(obj, "metadata"), "name");
        if (name.Length > NameRules.Dns1035LabelMaxLength - 11)
        {
            errs.Add(FieldError.Invalid(MetadataPath.Child("name"), name, "must be no more than 52 characters"));
        }

        return errs;
    }

    public override FieldErrorList ValidateUpdate(JsonObject obj, JsonObject old)
    {
        var errs = MetaUpdate(obj, old);
        errs.AddRange(ValidateSpec(Spec(obj), Spec(old)));
        return errs;
    }

    private static FieldErrorList ValidateSpec(JsonObject spec, JsonObject? oldSpec)
    {
        var errs = new FieldErrorList();
        var schedule = JsonAccess.Str(spec, "schedule");
        var schedulePath = SpecPath.Child("schedule");
        if (schedule.Length == 0)
        {
            errs.Add(FieldError.Required(schedulePath));
        }
        else
        {
            if (!CronSchedule.TryParse(schedule, out _, out var error))
            {
                errs.Add(FieldError.Invalid(schedulePath, schedule, error!));
            }

            var allowTz = oldSpec is not null && JsonAccess.Str(oldSpec, "schedule").Contains("TZ", StringComparison.Ordinal);
            if (allowTz && schedule.Contains("TZ", StringComparison.Ordinal) && JsonAccess.Has(spec, "timeZone"))
            {
                errs.Add(FieldError.Invalid(schedulePath, schedule, "cannot use both timeZone field and TZ or CRON_TZ in schedule"));
            }
            else if (!allowTz && schedule.Contains("TZ", StringComparison.Ordinal))
            {
                errs.Add(FieldError.Invalid(schedulePath, schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
            }
        }

        errs.AddRange(CommonRules.NonNegative(spec, "startingDeadlineSeconds", SpecPath));
        if (oldSpec is null || JsonAccess.String(oldSpec, "timeZone") != JsonAccess.String(spec, "timeZone"))
        {
            errs.AddRange(ValidateTimeZone(JsonAccess.String(spec, "timeZone"), SpecPath.Child("timeZone")));
        }

        var policy = JsonAccess.Str(spec, "concurrencyPolicy");
        if (policy.Length == 0)
        {
            errs.Add(FieldError.Required(SpecPath.Child("concurrencyPolicy")));
        }
        else if (policy is not ("Allow" or "Forbid" or "Replace"))
        {
            errs.Add(FieldError.NotSupported(SpecPath.Child("concurrencyPolicy"), policy, ["Allow", "Forbid", "Replace"]));
        }

        var templatePath = SpecPath.Child("jobTemplate");
        var jobSpec = JsonAccess.Obj(JsonAccess.Obj(spec, "jobTemplate"), "spec") ?? [];
        errs.AddRange(JobRules.ValidateJobSpecCommon(jobSpec, templatePath.Child("spec")));
        if (JsonAccess.Obj(jobSpec, "selector") is { } selector)
        {
            errs.Add(FieldError.Invalid(templatePath.Child("spec", "selector"), GoSyntax.LabelSelector(selector), "`selector` will be auto-generated"));
        }

        if (JsonAccess.Bool(jobSpec, "manualSelector") == true)
        {
            errs.Add(FieldError.NotSupported(templatePath.Child("spec", "manualSelector"), true, ["nil", "false"]));
        }

        errs.AddRange(CommonRules.NonNegative(spec, "successfulJobsHistoryLimit", SpecPath));
        errs.AddRange(CommonRules.NonNegative(spec, "failedJobsHistoryLimit", SpecPath));
        return errs;
    }

    private static FieldErrorList ValidateTimeZone(string? zone, FieldPath path)
    {
        if (zone is null)
        {
            return [];
        }

        if (zone.Length == 0)
        {
            return [FieldError.Invalid(path, zone, "timeZone must be nil or non-empty string")];
        }

        foreach (var part in zone.Split('/'))
        {
            if (part is "." or ".." || part.StartsWith('-') || !TimeZonePart().IsMatch(part))
            {
                return [FieldError.Invalid(path, zone, $"unknown time zone {zone}")];
            }
        }

        var errs = new FieldErrorList();
        if (zone.Equals("Local", StringComparison.OrdinalIgnoreCase))
        {
            errs.Add(FieldError.Invalid(path, zone, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"));
        }

        if (zone != "UTC" && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            errs.Add(FieldError.Invalid(path, zone, $"unknown time zone {zone}"));
        }

        return errs;
    }

    [GeneratedRegex("^[A-Za-z\\.\\-_0-9+]{1,14}$")]
    private static partial Regex TimeZonePart();
}
