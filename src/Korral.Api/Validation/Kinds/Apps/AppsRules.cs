using System.Globalization;
using System.Text.Json.Nodes;
using Korral.Api.Selectors;
using Korral.Api.Validation.Kinds.Core;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation.Kinds.Apps;

/// <summary>Rules shared by the workload kinds: selectors against template labels, int-or-percent fields.</summary>
public static class AppsRules
{
    /// <summary>
    /// Checks <c>spec.selector</c> (required, valid, not empty) and returns it as a selector; a missing selector
    /// selects nothing (so the template labels check fails too, as upstream).
    /// </summary>
    public static LabelSelector ValidateSelector(JsonObject spec, FieldPath specPath, string kindForMessage, FieldErrorList errs, bool required = true)
    {
        var selectorNode = JsonAccess.Obj(spec, "selector");
        var selectorPath = specPath.Child("selector");
        if (selectorNode is null)
        {
            if (required)
            {
                errs.Add(FieldError.Required(selectorPath));
            }
        }
        else
        {
            errs.AddRange(ObjectMetaRules.ValidateLabelSelector(selectorNode, selectorPath));
            if (JsonAccess.Count(selectorNode, "matchLabels") + JsonAccess.Count(selectorNode, "matchExpressions") == 0)
            {
                errs.Add(FieldError.Invalid(selectorPath, GoSyntax.LabelSelector(selectorNode), $"empty selector is invalid for {kindForMessage}"));
            }
        }

        if (!LabelSelector.TryFromLabelSelector(selectorNode, out var selector, out _))
        {
            errs.Add(FieldError.Invalid(selectorPath, GoSyntax.LabelSelector(selectorNode), "invalid label selector"));
            return LabelSelector.Nothing;
        }

        return selector;
    }

    /// <summary><c>spec.template.metadata.labels: Invalid value: map[string]string{…}: `selector` does not match template `labels`</c>.</summary>
    public static FieldErrorList ValidateSelectorMatchesTemplate(LabelSelector selector, JsonObject? template, FieldPath templatePath)
    {
        var labels = JsonAccess.Obj(JsonAccess.Obj(template, "metadata"), "labels");
        if (!selector.Empty && !selector.Matches(labels))
        {
            return [FieldError.Invalid(templatePath.Child("metadata", "labels"), new GoLiteral(GoSyntax.StringMap(labels)),
                "`selector` does not match template `labels`")];
        }

        return [];
    }

    /// <summary>
    /// The template of a ReplicaSet or Deployment: labels match the selector, a valid pod template, restartPolicy
    /// Always, no activeDeadlineSeconds.
    /// </summary>
    public static FieldErrorList ValidatePodTemplateForReplicaSet(JsonObject? template, LabelSelector selector, FieldPath path, string ownerKind)
    {
        var errs = new FieldErrorList();
        if (template is null)
        {
            errs.Add(FieldError.Required(path));
            return errs;
        }

        errs.AddRange(ValidateSelectorMatchesTemplate(selector, template, path));
        errs.AddRange(PodSpecRules.ValidatePodTemplateSpec(template, path));
        errs.AddRange(RestartAlwaysNoDeadline(template, path, ownerKind));
        return errs;
    }

    /// <summary>Workload templates must restart Always and may not set activeDeadlineSeconds.</summary>
    public static FieldErrorList RestartAlwaysNoDeadline(JsonObject template, FieldPath path, string ownerKind)
    {
        var errs = new FieldErrorList();
        var spec = JsonAccess.Obj(template, "spec");
        var restart = JsonAccess.Str(spec, "restartPolicy");
        if (restart != "Always")
        {
            errs.Add(FieldError.NotSupported(path.Child("spec", "restartPolicy"), restart, ["Always"]));
        }

        if (JsonAccess.Has(spec, "activeDeadlineSeconds"))
        {
            errs.Add(FieldError.Forbidden(path.Child("spec", "activeDeadlineSeconds"), $"activeDeadlineSeconds in {ownerKind} is not Supported"));
        }

        return errs;
    }

    /// <summary>A non-negative integer or a percentage string such as <c>25%</c>.</summary>
    public static FieldErrorList ValidatePositiveIntOrPercent(JsonNode? value, FieldPath path)
    {
        if (JsonAccess.AsString(value) is { } s)
        {
            return new FieldErrorList(FormatRules.Percent(s).Select(m => FieldError.Invalid(path, GoSyntax.IntOrString(value), m)));
        }

        return CommonRules.NonNegative(JsonAccess.TryGetLong(value, out var i) ? i : 0, path);
    }

    /// <summary>A percentage may not exceed 100%.</summary>
    public static FieldErrorList IsNotMoreThan100Percent(JsonNode? value, FieldPath path) =>
        Percent(value) is > 100 ? [FieldError.Invalid(path, GoSyntax.IntOrString(value), "must not be greater than 100%")] : [];

    /// <summary>The number of an int-or-percent (the percentage for percent strings, 0 when malformed).</summary>
    public static long IntOrPercentValue(JsonNode? value) =>
        Percent(value) ?? (JsonAccess.TryGetLong(value, out var i) ? i : 0);

    /// <summary>An immutable <c>spec.selector</c> (apps/v1 workloads): <c>Invalid value: v1.LabelSelector{…}: field is immutable</c>.</summary>
    public static FieldErrorList SelectorImmutable(JsonObject spec, JsonObject oldSpec, FieldPath specPath) =>
        JsonAccess.SemanticEquals(spec["selector"], oldSpec["selector"])
            ? []
            : [FieldError.Invalid(specPath.Child("selector"), GoSyntax.LabelSelector(spec["selector"]), CommonRules.FieldImmutable)];

    private static long? Percent(JsonNode? value)
    {
        var s = JsonAccess.AsString(value);
        if (s is null || FormatRules.Percent(s).Count != 0)
        {
            return null;
        }

        return long.TryParse(s[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : long.MaxValue;
    }
}
