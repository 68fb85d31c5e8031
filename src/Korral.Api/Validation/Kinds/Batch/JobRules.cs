using System.Text.Json.Nodes;
using Korral.Api.Selectors;
using Korral.Api.Validation.Kinds.Core;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation.Kinds.Batch;

/// <summary>Job spec rules shared by Jobs and CronJob job templates.</summary>
public static class JobRules
{
    /// <summary>Upstream's label keys of generated Job selectors and pod labels.</summary>
    public const string ControllerUidLabel = "batch.kubernetes.io/controller-uid";
    public const string JobNameLabel = "batch.kubernetes.io/job-name";
    public const string LegacyControllerUidLabel = "controller-uid";
    public const string LegacyJobNameLabel = "job-name";

    /// <summary>Counts, completion mode, replacement policy, the pod template and its restart policy (OnFailure or Never).</summary>
    public static FieldErrorList ValidateJobSpecCommon(JsonObject spec, FieldPath path)
    {
        var errs = new FieldErrorList();
        foreach (var field in new[] { "parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished", "backoffLimitPerIndex", "maxFailedIndexes" })
        {
            errs.AddRange(CommonRules.NonNegative(spec, field, path));
        }

        if (JsonAccess.String(spec, "completionMode") is { } mode)
        {
            if (mode is not ("NonIndexed" or "Indexed"))
            {
                errs.Add(FieldError.NotSupported(path.Child("completionMode"), mode, ["NonIndexed", "Indexed"]));
            }

            if (mode == "Indexed")
            {
                if (!JsonAccess.Has(spec, "completions"))
                {
                    errs.Add(FieldError.Required(path.Child("completions"), "when completion mode is Indexed"));
                }

                if (JsonAccess.Long(spec, "parallelism") is > 100000 and var p)
                {
                    errs.Add(FieldError.Invalid(path.Child("parallelism"), p, "must be less than or equal to 100000 when completion mode is Indexed"));
                }
            }
        }

        if (JsonAccess.Has(spec, "backoffLimitPerIndex") && JsonAccess.Str(spec, "completionMode") != "Indexed")
        {
            errs.Add(FieldError.Invalid(path.Child("backoffLimitPerIndex"), JsonAccess.Long(spec, "backoffLimitPerIndex") ?? 0,
                "requires indexed completion mode"));
        }

        var hasFailurePolicy = JsonAccess.Has(spec, "podFailurePolicy");
        if (JsonAccess.String(spec, "podReplacementPolicy") is { } replacement)
        {
            if (hasFailurePolicy)
            {
                if (replacement != "Failed")
                {
                    errs.Add(FieldError.NotSupported(path.Child("podReplacementPolicy"), replacement, ["Failed"]));
                }
            }
            else if (replacement is not ("Failed" or "TerminatingOrFailed"))
            {
                errs.Add(FieldError.NotSupported(path.Child("podReplacementPolicy"), replacement, ["Failed", "TerminatingOrFailed"]));
            }
        }

        var templatePath = path.Child("template");
        var template = JsonAccess.Obj(spec, "template") ?? [];
        errs.AddRange(PodSpecRules.ValidatePodTemplateSpec(template, templatePath));
        var restart = JsonAccess.Str(JsonAccess.Obj(template, "spec"), "restartPolicy");
        var restartPath = templatePath.Child("spec", "restartPolicy");
        if (restart is "Always" or "")
        {
            errs.Add(FieldError.Required(restartPath, "valid values: \"OnFailure\", \"Never\""));
        }
        else if (restart is not ("OnFailure" or "Never"))
        {
            errs.Add(FieldError.NotSupported(restartPath, restart, ["OnFailure", "Never"]));
        }
        else if (hasFailurePolicy && restart != "Never")
        {
            errs.Add(FieldError.Invalid(restartPath, restart, "only \"Never\" is supported when podFailurePolicy is specified"));
        }

        return errs;
    }

    /// <summary>A Job spec: the common rules plus a selector (required) that matches the template labels.</summary>
    public static FieldErrorList ValidateJobSpec(JsonObject spec, FieldPath path)
    {
        var errs = ValidateJobSpecCommon(spec, path);
        var selectorNode = JsonAccess.Obj(spec, "selector");
        if (selectorNode is null)
        {
            errs.Add(FieldError.Required(path.Child("selector")));
        }
        else
        {
            errs.AddRange(ObjectMetaRules.ValidateLabelSelector(selectorNode, path.Child("selector")));
        }

        var labels = JsonAccess.Obj(JsonAccess.Obj(JsonAccess.Obj(spec, "template"), "metadata"), "labels");
        if (LabelSelector.TryFromLabelSelector(selectorNode, out var selector, out _) && !selector.Matches(labels))
        {
            errs.Add(FieldError.Invalid(path.Child("template", "metadata", "labels"), new GoLiteral(GoSyntax.StringMap(labels)),
                "`selector` does not match template `labels`"));
        }

        return errs;
    }
}
