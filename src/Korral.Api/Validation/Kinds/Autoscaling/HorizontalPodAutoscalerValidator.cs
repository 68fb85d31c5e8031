using System.Text.Json.Nodes;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation.Kinds.Autoscaling;

/// <summary>
/// HorizontalPodAutoscalers (autoscaling/v1 and v2): replica bounds, the scale target reference, and for v2 the
/// metric sources and targets.
/// </summary>
public sealed class HorizontalPodAutoscalerValidator : ObjectValidator
{
    private static readonly string[] MetricTypes = ["Object", "Pods", "Resource", "External", "ContainerResource"];
    private static readonly string[] TargetTypes = ["Utilization", "Value", "AverageValue"];

    public override bool Namespaced => true;

    public override FieldErrorList ValidateCreate(JsonObject obj)
    {
        var errs = Meta(obj);
        errs.AddRange(ValidateSpec(Spec(obj)));
        return errs;
    }

    public override FieldErrorList ValidateUpdate(JsonObject obj, JsonObject old)
    {
        var errs = MetaUpdate(obj, old);
        errs.AddRange(ValidateSpec(Spec(obj)));
        return errs;
    }

    public override FieldErrorList ValidateStatusUpdate(JsonObject obj, JsonObject old)
    {
        var errs = MetaUpdate(obj, old);
        var status = JsonAccess.Obj(obj, "status");
        errs.AddRange(CommonRules.NonNegative(status, "currentReplicas", FieldPath.Root("status")));
        errs.AddRange(CommonRules.NonNegative(status, "desiredReplicas", FieldPath.Root("status")));
        return errs;
    }

    private static FieldErrorList ValidateSpec(JsonObject spec)
    {
        var errs = new FieldErrorList();
        var minReplicas = JsonAccess.Long(spec, "minReplicas");
        var maxReplicas = JsonAccess.Long(spec, "maxReplicas") ?? 0;
        if (minReplicas is < 1)
        {
            errs.Add(FieldError.Invalid(SpecPath.Child("minReplicas"), minReplicas.Value, "must be greater than or equal to 1"));
        }

        if (maxReplicas < 1)
        {
            errs.Add(FieldError.Invalid(SpecPath.Child("maxReplicas"), maxReplicas, "must be greater than 0"));
        }

        if (minReplicas is { } min && maxReplicas < min)
        {
            errs.Add(FieldError.Invalid(SpecPath.Child("maxReplicas"), maxReplicas, "must be greater than or equal to `minReplicas`"));
        }

        var target = JsonAccess.Obj(spec, "scaleTargetRef") ?? [];
        var targetPath = SpecPath.Child("scaleTargetRef");
        foreach (var field in new[] { "kind", "name" })
        {
            var value = JsonAccess.Str(target, field);
            if (value.Length == 0)
            {
                errs.Add(FieldError.Required(targetPath.Child(field)));
            }
            else
            {
                errs.AddRange(NameRules.PathSegmentName(value).Select(m => FieldError.Invalid(targetPath.Child(field), value, m)));
            }
        }

        if (JsonAccess.Long(spec, "targetCPUUtilizationPercentage") is < 1 and var cpu)
        {
            errs.Add(FieldError.Invalid(SpecPath.Child("targetCPUUtilizationPercentage"), cpu, "must be greater than 0"));
        }

        foreach (var (i, metric) in JsonAccess.Items(spec, "metrics"))
        {
            errs.AddRange(ValidateMetric(metric, SpecPath.Child("metrics").Index(i)));
        }

        foreach (var direction in new[] { "scaleUp", "scaleDown" })
        {
            if (JsonAccess.Obj(JsonAccess.Obj(spec, "behavior"), direction) is { } rules)
            {
                var rPath = SpecPath.Child("behavior", direction);
                if (JsonAccess.Long(rules, "stabilizationWindowSeconds") is { } window)
                {
                    if (window < 0)
                    {
                        errs.Add(FieldError.Invalid(rPath.Child("stabilizationWindowSeconds"), window, "must be greater than or equal to zero"));
                    }
                    else if (window > 3600)
                    {
                        errs.Add(FieldError.Invalid(rPath.Child("stabilizationWindowSeconds"), window, "must be less than or equal to 3600"));
                    }
                }

                if (JsonAccess.String(rules, "selectPolicy") is { } select && select is not ("Disabled" or "Max" or "Min"))
                {
                    errs.Add(FieldError.NotSupported(rPath.Child("selectPolicy"), select, ["Disabled", "Max", "Min"]));
                }

                foreach (var (j, policy) in JsonAccess.Items(rules, "policies"))
                {
                    var pPath = rPath.Child("policies").Index(j);
                    var type = JsonAccess.Str(policy, "type");
                    if (type is not ("Percent" or "Pods"))
                    {
                        errs.Add(FieldError.NotSupported(pPath.Child("type"), type, ["Percent", "Pods"]));
                    }

                    if ((JsonAccess.Long(policy, "value") ?? 0) <= 0)
                    {
                        errs.Add(FieldError.Invalid(pPath.Child("value"), JsonAccess.Long(policy, "value") ?? 0, "must be greater than zero"));
                    }

                    var period = JsonAccess.Long(policy, "periodSeconds") ?? 0;
                    if (period <= 0)
                    {
                        errs.Add(FieldError.Invalid(pPath.Child("periodSeconds"), period, "must be greater than zero"));
                    }
                    else if (period > 1800)
                    {
                        errs.Add(FieldError.Invalid(pPath.Child("periodSeconds"), period, "must be less than or equal to 1800"));
                    }
                }
            }
        }

        return errs;
    }

    private static FieldErrorList ValidateMetric(JsonObject metric, FieldPath path)
    {
        var errs = new FieldErrorList();
        var type = JsonAccess.Str(metric, "type");
        if (type.Length == 0)
        {
            errs.Add(FieldError.Required(path.Child("type"), "must specify a metric source type"));
        }

        if (!MetricTypes.Contains(type))
        {
            errs.Add(FieldError.NotSupported(path.Child("type"), type, MetricTypes));
        }

        var sources = new[] { ("Object", "object"), ("Pods", "pods"), ("Resource", "resource"), ("External", "external"), ("ContainerResource", "containerResource") };
        var present = sources.Where(s => JsonAccess.Has(metric, s.Item2)).ToList();
        if (present.Count > 1)
        {
            errs.Add(FieldError.Forbidden(path, "must populate the given metric source only"));
        }

        if (MetricTypes.Contains(type) && !present.Any(s => s.Item1 == type))
        {
            errs.Add(FieldError.Required(path.Child(sources.First(s => s.Item1 == type).Item2), "must populate information for the given metric source"));
        }

        foreach (var (kind, field) in present)
        {
            var source = JsonAccess.Obj(metric, field) ?? [];
            var sPath = path.Child(field);
            if (kind is "Resource" or "ContainerResource" && JsonAccess.Str(source, "name").Length == 0)
            {
                errs.Add(FieldError.Required(sPath.Child("name"), "must specify a resource name"));
            }

            if (kind == "ContainerResource" && JsonAccess.Str(source, "container").Length == 0)
            {
                errs.Add(FieldError.Required(sPath.Child("container"), "must specify a container"));
            }

            if (JsonAccess.Obj(source, "target") is not { } target)
            {
                continue;
            }

            var tPath = sPath.Child("target");
            var targetType = JsonAccess.Str(target, "type");
            if (targetType.Length == 0)
            {
                errs.Add(FieldError.Required(tPath.Child("type"), "must specify a metric target type"));
            }
            else if (!TargetTypes.Contains(targetType))
            {
                errs.Add(FieldError.NotSupported(tPath.Child("type"), targetType, TargetTypes));
            }

            if (JsonAccess.Long(target, "averageUtilization") is <= 0 and var utilization)
            {
                errs.Add(FieldError.Invalid(tPath.Child("averageUtilization"), utilization, "must be greater than 0"));
            }
        }

        return errs;
    }
}
