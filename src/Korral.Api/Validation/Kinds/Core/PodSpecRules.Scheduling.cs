using System.Text.Json.Nodes;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation.Kinds.Core;

public static partial class PodSpecRules
{
    private static readonly string[] TaintEffects = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

    /// <summary>Tolerations: keys are label names, operator Equal/Exists with matching values, effects known.</summary>
    public static FieldErrorList ValidateTolerations(JsonArray? tolerations, FieldPath path)
    {
        var errs = new FieldErrorList();
        for (var i = 0; i < (tolerations?.Count ?? 0); i++)
        {
            var t = tolerations![i] as JsonObject ?? [];
            var tPath = path.Index(i);
            var key = JsonAccess.Str(t, "key");
            var op = JsonAccess.Str(t, "operator");
            var value = JsonAccess.Str(t, "value");
            var effect = JsonAccess.Str(t, "effect");
            if (key.Length > 0)
            {
                errs.AddRange(ObjectMetaRules.ValidateLabelName(key, tPath.Child("key")));
            }

            if (key.Length == 0 && op != "Exists")
            {
                errs.Add(FieldError.Invalid(tPath.Child("operator"), op, "operator must be Exists when `key` is empty, which means \"match all values and all keys\""));
            }

            if (JsonAccess.Has(t, "tolerationSeconds") && effect != "NoExecute")
            {
                errs.Add(FieldError.Invalid(tPath.Child("effect"), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
            }

            switch (op)
            {
                case "Equal" or "":
                    var msgs = NameRules.LabelValue(value);
                    if (msgs.Count != 0)
                    {
                        errs.Add(FieldError.Invalid(tPath.Child("operator"), value, string.Join(";", msgs)));
                    }

                    break;
                case "Exists":
                    if (value.Length > 0)
                    {
                        errs.Add(FieldError.Invalid(tPath.Child("operator"), value, "value must be empty when `operator` is 'Exists'"));
                    }

                    break;
                default:
                    errs.Add(FieldError.NotSupported(tPath.Child("operator"), op, ["Equal", "Exists"]));
                    break;
            }

            if (effect.Length > 0 && !TaintEffects.Contains(effect))
            {
                errs.Add(FieldError.NotSupported(tPath.Child("effect"), effect, TaintEffects));
            }
        }

        return errs;
    }

    /// <summary>Node taints (<c>spec.taints</c> of a Node): key, value, effect, unique by key and effect.</summary>
    public static FieldErrorList ValidateTaints(JsonArray? taints, FieldPath path)
    {
        var errs = new FieldErrorList();
        var unique = new HashSet<(string, string)>();
        for (var i = 0; i < (taints?.Count ?? 0); i++)
        {
            var t = taints![i] as JsonObject ?? [];
            var tPath = path.Index(i);
            var key = JsonAccess.Str(t, "key");
            var value = JsonAccess.Str(t, "value");
            var effect = JsonAccess.Str(t, "effect");
            errs.AddRange(ObjectMetaRules.ValidateLabelName(key, tPath.Child("key")));
            var msgs = NameRules.LabelValue(value);
            if (msgs.Count != 0)
            {
                errs.Add(FieldError.Invalid(tPath.Child("value"), value, string.Join(";", msgs)));
            }

            if (effect.Length == 0)
            {
                errs.Add(FieldError.Required(tPath.Child("effect")));
            }
            else if (!TaintEffects.Contains(effect))
            {
                errs.Add(FieldError.NotSupported(tPath.Child("effect"), effect, TaintEffects));
            }

            if (!unique.Add((effect, key)))
            {
                errs.Add(new FieldError(FieldErrorType.Duplicate, tPath.ToString(), t, "taints must be unique by key and effect pair"));
            }
        }

        return errs;
    }

    private static FieldErrorList ValidateAffinity(JsonObject? affinity, FieldPath path)
    {
        var errs = new FieldErrorList();
        if (affinity is null)
        {
            return errs;
        }

        if (JsonAccess.Obj(affinity, "nodeAffinity") is { } node)
        {
            var nPath = path.Child("nodeAffinity");
            if (JsonAccess.Obj(node, "requiredDuringSchedulingIgnoredDuringExecution") is { } required)
            {
                errs.AddRange(ValidateNodeSelector(required, nPath.Child("requiredDuringSchedulingIgnoredDuringExecution"), allowInvalidValues: false));
            }

            foreach (var (i, term) in JsonAccess.Items(node, "preferredDuringSchedulingIgnoredDuringExecution"))
            {
                var tPath = nPath.Child("preferredDuringSchedulingIgnoredDuringExecution").Index(i);
                var weight = JsonAccess.Long(term, "weight") ?? 0;
                if (weight is <= 0 or > 100)
                {
                    errs.Add(FieldError.Invalid(tPath.Child("weight"), weight, "must be in the range 1-100"));
                }

                errs.AddRange(ValidateNodeSelectorTerm(JsonAccess.Obj(term, "preference") ?? [], tPath.Child("preference"), allowInvalidValues: true));
            }
        }

        foreach (var kind in new[] { "podAffinity", "podAntiAffinity" })
        {
            if (JsonAccess.Obj(affinity, kind) is not { } podAffinity)
            {
                continue;
            }

            var pPath = path.Child(kind);
            foreach (var (i, term) in JsonAccess.Items(podAffinity, "requiredDuringSchedulingIgnoredDuringExecution"))
            {
                errs.AddRange(ValidatePodAffinityTerm(term, pPath.Child("requiredDuringSchedulingIgnoredDuringExecution").Index(i)));
            }

            foreach (var (i, weighted) in JsonAccess.Items(podAffinity, "preferredDuringSchedulingIgnoredDuringExecution"))
            {
                var wPath = pPath.Child("preferredDuringSchedulingIgnoredDuringExecution").Index(i);
                var weight = JsonAccess.Long(weighted, "weight") ?? 0;
                if (weight is <= 0 or > 100)
                {
                    errs.Add(FieldError.Invalid(wPath.Child("weight"), weight, "must be in the range 1-100"));
                }

                errs.AddRange(ValidatePodAffinityTerm(JsonAccess.Obj(weighted, "podAffinityTerm") ?? [], wPath.Child("podAffinityTerm")));
            }
        }

        return errs;
    }

    /// <summary>A node selector (PV node affinity, pod required node affinity): at least one term, each requirement well formed.</summary>
    internal static FieldErrorList ValidateNodeSelector(JsonObject selector, FieldPath path, bool allowInvalidValues)
    {
        var terms = JsonAccess.Arr(selector, "nodeSelectorTerms");
        if (terms is null || terms.Count == 0)
        {
            return [FieldError.Required(path.Child("nodeSelectorTerms"), "must have at least one node selector term")];
        }

        var errs = new FieldErrorList();
        for (var i = 0; i < terms.Count; i++)
        {
            errs.AddRange(ValidateNodeSelectorTerm(terms[i] as JsonObject ?? [], path.Child("nodeSelectorTerms").Index(i), allowInvalidValues));
        }

        return errs;
    }

    private static FieldErrorList ValidateNodeSelectorTerm(JsonObject term, FieldPath path, bool allowInvalidValues)
    {
        var errs = new FieldErrorList();
        foreach (var (j, req) in JsonAccess.Items(term, "matchExpressions"))
        {
            var rPath = path.Child("matchExpressions").Index(j);
            var op = JsonAccess.Str(req, "operator");
            var values = JsonAccess.StringList(req["values"]) ?? [];
            switch (op)
            {
                case "In" or "NotIn":
                    if (values.Count == 0)
                    {
                        errs.Add(FieldError.Required(rPath.Child("values"), "must be specified when `operator` is 'In' or 'NotIn'"));
                    }

                    break;
                case "Exists" or "DoesNotExist":
                    if (values.Count > 0)
                    {
                        errs.Add(FieldError.Forbidden(rPath.Child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                    }

                    break;
                case "Gt" or "Lt":
                    if (values.Count != 1)
                    {
                        errs.Add(FieldError.Required(rPath.Child("values"), "must be specified single value when `operator` is 'Lt' or 'Gt'"));
                    }

                    break;
                default:
                    errs.Add(FieldError.Invalid(rPath.Child("operator"), op, "not a valid selector operator"));
                    break;
            }

            errs.AddRange(ObjectMetaRules.ValidateLabelName(JsonAccess.Str(req, "key"), rPath.Child("key")));
            if (!allowInvalidValues)
            {
                for (var v = 0; v < values.Count; v++)
                {
                    errs.AddRange(NameRules.LabelValue(values[v]).Select(m => FieldError.Invalid(rPath.Child("values").Index(v), values[v], m)));
                }
            }
        }

        foreach (var (j, req) in JsonAccess.Items(term, "matchFields"))
        {
            var rPath = path.Child("matchFields").Index(j);
            var op = JsonAccess.Str(req, "operator");
            var values = JsonAccess.StringList(req["values"]) ?? [];
            if (op is "In" or "NotIn")
            {
                if (values.Count != 1)
                {
                    errs.Add(FieldError.Required(rPath.Child("values"), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
                }
            }
            else
            {
                errs.Add(FieldError.Invalid(rPath.Child("operator"), op, "not a valid selector operator"));
            }

            var key = JsonAccess.Str(req, "key");
            if (key != "metadata.name")
            {
                errs.Add(FieldError.Invalid(rPath.Child("key"), key, "not a valid field selector key"));
            }
            else
            {
                for (var v = 0; v < values.Count; v++)
                {
                    errs.AddRange(NameRules.NameIsDnsSubdomain(values[v], false).Select(m => FieldError.Invalid(rPath.Child("values").Index(v), values[v], m)));
                }
            }
        }

        return errs;
    }

    private static FieldErrorList ValidatePodAffinityTerm(JsonObject term, FieldPath path)
    {
        var errs = new FieldErrorList();
        errs.AddRange(ObjectMetaRules.ValidateLabelSelector(JsonAccess.Get(term, "labelSelector"), path.Child("labelSelector")));
        errs.AddRange(ObjectMetaRules.ValidateLabelSelector(JsonAccess.Get(term, "namespaceSelector"), path.Child("namespaceSelector")));
        foreach (var ns in JsonAccess.StringList(term["namespaces"]) ?? [])
        {
            errs.AddRange(NameRules.NameIsDnsLabel(ns, false).Select(m => FieldError.Invalid(path.Child("namespace"), ns, m)));
        }

        var topologyKey = JsonAccess.Str(term, "topologyKey");
        if (topologyKey.Length == 0)
        {
            errs.Add(FieldError.Required(path.Child("topologyKey"), "can not be empty"));
        }

        errs.AddRange(ObjectMetaRules.ValidateLabelName(topologyKey, path.Child("topologyKey")));
        return errs;
    }

    private static FieldErrorList ValidateTopologySpreadConstraints(JsonArray? constraints, FieldPath path)
    {
        var errs = new FieldErrorList();
        var list = (constraints ?? []).Select(c => c as JsonObject ?? []).ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var c = list[i];
            var cPath = path.Index(i);
            var maxSkew = JsonAccess.Long(c, "maxSkew") ?? 0;
            if (maxSkew <= 0)
            {
                errs.Add(FieldError.Invalid(cPath.Child("maxSkew"), maxSkew, CommonRules.NotPositive));
            }

            var key = JsonAccess.Str(c, "topologyKey");
            if (key.Length == 0)
            {
                errs.Add(FieldError.Required(cPath.Child("topologyKey"), "can not be empty"));
            }

            var action = JsonAccess.Str(c, "whenUnsatisfiable");
            if (action is not ("DoNotSchedule" or "ScheduleAnyway"))
            {
                errs.Add(FieldError.NotSupported(cPath.Child("whenUnsatisfiable"), action, ["DoNotSchedule", "ScheduleAnyway"]));
            }

            if (list.Skip(i + 1).Any(o => JsonAccess.Str(o, "topologyKey") == key && JsonAccess.Str(o, "whenUnsatisfiable") == action))
            {
                errs.Add(FieldError.Duplicate(cPath.Child("{topologyKey, whenUnsatisfiable}"), $"{{{key}, {action}}}"));
            }

            if (JsonAccess.Long(c, "minDomains") is { } minDomains)
            {
                if (minDomains <= 0)
                {
                    errs.Add(FieldError.Invalid(cPath.Child("minDomains"), minDomains, CommonRules.NotPositive));
                }

                if (action != "DoNotSchedule")
                {
                    errs.Add(FieldError.Invalid(cPath.Child("minDomains"), minDomains, $"can only use minDomains if whenUnsatisfiable=DoNotSchedule, not {action}"));
                }
            }

            foreach (var policy in new[] { "nodeAffinityPolicy", "nodeTaintsPolicy" })
            {
                if (JsonAccess.String(c, policy) is { } p && p is not ("Honor" or "Ignore"))
                {
                    errs.Add(FieldError.NotSupported(cPath.Child(policy), p, ["Honor", "Ignore"]));
                }
            }

            errs.AddRange(ObjectMetaRules.ValidateLabelSelector(JsonAccess.Get(c, "labelSelector"), cPath.Child("labelSelector")));
        }

        return errs;
    }
}
