using System.Text.Json.Nodes;
using Korral.Api.Selectors;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation.Kinds.Batch;

/// <summary>
/// Jobs (batch/v1). Unless <c>manualSelector</c> is true, the selector and template labels must be the generated
/// ones (<see cref="Defaulting.JobDefaults.GenerateSelector"/> with the object's uid, before validation). On update
/// the selector, template (scheduling directives excepted while suspended and never started), completion mode and
/// policies are immutable; completions only change together with parallelism for Indexed jobs.
/// </summary>
public sealed class JobValidator : ObjectValidator
{
    public override bool Namespaced => true;

    public override FieldErrorList ValidateCreate(JsonObject obj)
    {
        var errs = Meta(obj);
        errs.AddRange(ValidateGeneratedSelector(obj));
        var spec = Spec(obj);
        errs.AddRange(JobRules.ValidateJobSpec(spec, SpecPath));
        if (JsonAccess.Str(spec, "completionMode") == "Indexed" && JsonAccess.Long(spec, "completions") is > 0 and var completions)
        {
            var name = JsonAccess.Str(JsonAccess.Obj(obj, "metadata"), "name");
            var hostname = $"{name}-{completions - 1}";
            if (NameRules.Dns1123Label(hostname).Count > 0)
            {
                errs.Add(FieldError.Invalid(MetadataPath.Child("name"), name, $"will not able to create pod with invalid DNS label: {hostname}"));
            }
        }

        return errs;
    }

    public override FieldErrorList ValidateUpdate(JsonObject obj, JsonObject old)
    {
        var errs = MetaUpdate(obj, old);
        var spec = Spec(obj);
        var oldSpec = Spec(old);
        errs.AddRange(JobRules.ValidateJobSpec(spec, SpecPath));
        errs.AddRange(ValidateCompletions(spec, oldSpec));
        errs.AddRange(CommonRules.Immutable(spec["selector"], oldSpec["selector"], SpecPath.Child("selector"), GoSyntax.LabelSelector(spec["selector"])));
        errs.AddRange(ValidateTemplateUpdate(spec, oldSpec, old));
        foreach (var field in new[] { "completionMode", "podFailurePolicy", "backoffLimitPerIndex", "managedBy", "successPolicy", "podReplacementPolicy" })
        {
            errs.AddRange(CommonRules.Immutable(spec[field], oldSpec[field], SpecPath.Child(field)));
        }

        return errs;
    }

    public override FieldErrorList ValidateStatusUpdate(JsonObject obj, JsonObject old)
    {
        var errs = MetaUpdate(obj, old);
        var status = JsonAccess.Obj(obj, "status");
        foreach (var field in new[] { "active", "succeeded", "failed", "terminating", "ready" })
        {
            errs.AddRange(CommonRules.NonNegative(status, field, FieldPath.Root("status")));
        }

        return errs;
    }

    private static FieldErrorList ValidateGeneratedSelector(JsonObject job)
    {
        var errs = new FieldErrorList();
        var spec = Spec(job);
        if (JsonAccess.Bool(spec, "manualSelector") == true || JsonAccess.Obj(spec, "selector") is not { } selectorNode)
        {
            return errs;
        }

        var meta = JsonAccess.Obj(job, "metadata");
        var uid = JsonAccess.Str(meta, "uid");
        var name = JsonAccess.Str(meta, "name");
        if (uid.Length == 0)
        {
            errs.Add(FieldError.Required(MetadataPath.Child("uid")));
        }

        var templateMetaPath = SpecPath.Child("template", "metadata");
        var labels = JsonAccess.Obj(JsonAccess.Obj(JsonAccess.Obj(spec, "template"), "metadata"), "labels");
        errs.AddRange(HasLabel(labels, templateMetaPath, JobRules.LegacyControllerUidLabel, uid));
        errs.AddRange(HasLabel(labels, templateMetaPath, JobRules.LegacyJobNameLabel, name));
        errs.AddRange(HasLabel(labels, templateMetaPath, JobRules.ControllerUidLabel, uid));
        errs.AddRange(HasLabel(labels, templateMetaPath, JobRules.JobNameLabel, name));
        var expected = new Dictionary<string, string> { [JobRules.ControllerUidLabel] = uid, [JobRules.JobNameLabel] = name };
        if (LabelSelector.TryFromLabelSelector(selectorNode, out var selector, out _) && !selector.Matches(expected))
        {
            errs.Add(FieldError.Invalid(SpecPath.Child("selector"), GoSyntax.LabelSelector(selectorNode), "`selector` not auto-generated"));
        }

        return errs;
    }

    private static FieldErrorList HasLabel(JsonObject? labels, FieldPath metaPath, string key, string expected)
    {
        if (JsonAccess.String(labels, key) is not { } actual)
        {
            return [FieldError.Required(metaPath.Child("labels").Key(key), $"must be '{expected}'")];
        }

        return actual != expected
            ? [FieldError.Invalid(metaPath.Child("labels").Key(key), new GoLiteral(GoSyntax.StringMap(labels)), $"must be '{expected}'")]
            : [];
    }

    private static FieldErrorList ValidateCompletions(JsonObject spec, JsonObject oldSpec)
    {
        var path = SpecPath.Child("completions");
        if (JsonAccess.Str(spec, "completionMode") != "Indexed")
        {
            return CommonRules.Immutable(spec["completions"], oldSpec["completions"], path);
        }

        if (JsonAccess.SemanticEquals(spec["completions"], oldSpec["completions"]) || JsonAccess.Long(spec, "completions") is not { } completions)
        {
            return [];
        }

        return completions != JsonAccess.Long(spec, "parallelism")
            ? [FieldError.Invalid(path, completions, "can only be modified in tandem with spec.parallelism")]
            : [];
    }

    private static FieldErrorList ValidateTemplateUpdate(JsonObject spec, JsonObject oldSpec, JsonObject old)
    {
        var template = spec["template"];
        var oldTemplate = oldSpec["template"]?.DeepClone() as JsonObject ?? [];
        var suspended = JsonAccess.Bool(oldSpec, "suspend") == true;
        var started = JsonAccess.Has(JsonAccess.Obj(old, "status"), "startTime");
        if (suspended && !started && template is JsonObject t)
        {
            // Scheduling directives of a suspended job that never started may change.
            var oldPodSpec = JsonAccess.Ensure(oldTemplate, "spec");
            var newPodSpec = JsonAccess.Obj(t, "spec") ?? [];
            var newAffinity = JsonAccess.Obj(newPodSpec, "affinity");
            var oldAffinity = JsonAccess.Obj(oldPodSpec, "affinity");
            if (newAffinity is null && oldAffinity is not null)
            {
                oldAffinity.Remove("nodeAffinity");
                if (oldAffinity.Count == 0)
                {
                    oldPodSpec.Remove("affinity");
                }
            }
            else if (newAffinity is not null && oldAffinity is null)
            {
                oldPodSpec["affinity"] = new JsonObject { ["nodeAffinity"] = newAffinity["nodeAffinity"]?.DeepClone() };
            }
            else if (newAffinity is not null && oldAffinity is not null)
            {
                oldAffinity["nodeAffinity"] = newAffinity["nodeAffinity"]?.DeepClone();
            }

            foreach (var field in new[] { "nodeSelector", "tolerations", "schedulingGates" })
            {
                oldPodSpec[field] = newPodSpec[field]?.DeepClone();
            }

            var oldMeta = JsonAccess.Ensure(oldTemplate, "metadata");
            var newMeta = JsonAccess.Obj(t, "metadata");
            oldMeta["annotations"] = newMeta?["annotations"]?.DeepClone();
            oldMeta["labels"] = newMeta?["labels"]?.DeepClone();
        }

        return CommonRules.Immutable(template, oldTemplate, SpecPath.Child("template"));
    }
}
