using System.Globalization;
using System.Text.Json.Nodes;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation.Kinds.Core;

/// <summary>
/// Upstream's pod spec rules (shared by Pods and every pod template): volumes, containers, init and ephemeral
/// containers, policies, scheduling constraints and security settings, with upstream's paths and messages.
/// </summary>
public static partial class PodSpecRules
{
    private static readonly string[] RestartPolicies = ["Always", "OnFailure", "Never"];
    private static readonly string[] DnsPolicies = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];

    /// <summary>Validates a pod spec. <paramref name="isPod"/> is true for a Pod (stricter host-network ports), false for templates.</summary>
    public static FieldErrorList ValidatePodSpec(JsonObject spec, JsonObject? podMeta, FieldPath path, bool isPod)
    {
        var errs = new FieldErrorList();
        if (!JsonAccess.Has(spec, "terminationGracePeriodSeconds"))
        {
            errs.Add(FieldError.Required(path.Child("terminationGracePeriodSeconds")));
        }

        var gracePeriod = JsonAccess.Long(spec, "terminationGracePeriodSeconds");
        var volumes = ValidateVolumes(JsonAccess.Arr(spec, "volumes"), podMeta, path.Child("volumes"), errs);
        var claimNames = ValidatePodResourceClaims(spec, path.Child("resourceClaims"), errs);
        var restartPolicy = JsonAccess.Str(spec, "restartPolicy");
        errs.AddRange(ValidateContainers(JsonAccess.Arr(spec, "containers"), volumes, claimNames, gracePeriod, path.Child("containers"), restartPolicy));
        errs.AddRange(ValidateInitContainers(JsonAccess.Arr(spec, "initContainers"), JsonAccess.Arr(spec, "containers"), volumes, claimNames,
            gracePeriod, path.Child("initContainers"), restartPolicy));
        errs.AddRange(ValidateEphemeralContainers(spec, volumes, claimNames, path.Child("ephemeralContainers"), restartPolicy));
        errs.AddRange(ValidateHostNetworkPorts(spec, path, isPod));
        errs.AddRange(Enum(restartPolicy, path.Child("restartPolicy"), RestartPolicies));
        errs.AddRange(Enum(JsonAccess.Str(spec, "dnsPolicy"), path.Child("dnsPolicy"), DnsPolicies));
        errs.AddRange(ObjectMetaRules.ValidateLabels(JsonAccess.Get(spec, "nodeSelector"), path.Child("nodeSelector")));
        errs.AddRange(ValidatePodSecurityContext(JsonAccess.Obj(spec, "securityContext"), spec, path.Child("securityContext")));
        errs.AddRange(ValidateImagePullSecrets(JsonAccess.Arr(spec, "imagePullSecrets"), path.Child("imagePullSecrets")));
        errs.AddRange(ValidateAffinity(JsonAccess.Obj(spec, "affinity"), path.Child("affinity")));
        errs.AddRange(ValidateDnsConfig(JsonAccess.Obj(spec, "dnsConfig"), JsonAccess.Str(spec, "dnsPolicy"), path.Child("dnsConfig")));
        foreach (var (i, gate) in JsonAccess.Items(spec, "readinessGates"))
        {
            errs.AddRange(QualifiedName(JsonAccess.Str(gate, "conditionType"), path.Child("readinessGates").Index(i).Child("conditionType")));
        }

        var seenGates = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (i, gate) in JsonAccess.Items(spec, "schedulingGates"))
        {
            var name = JsonAccess.Str(gate, "name");
            errs.AddRange(QualifiedName(name, path.Child("schedulingGates").Index(i)));
            if (!seenGates.Add(name))
            {
                errs.Add(FieldError.Duplicate(path.Child("schedulingGates").Index(i), name));
            }
        }

        errs.AddRange(ValidateTopologySpreadConstraints(JsonAccess.Arr(spec, "topologySpreadConstraints"), path.Child("topologySpreadConstraints")));
        NameCheck(spec, "serviceAccountName", path, NameRules.NameIsDnsSubdomain, errs);
        NameCheck(spec, "nodeName", path, NameRules.NameIsDnsSubdomain, errs);
        if (JsonAccess.Long(spec, "activeDeadlineSeconds") is { } deadline && deadline is < 1 or > int.MaxValue)
        {
            errs.Add(FieldError.Invalid(path.Child("activeDeadlineSeconds"), deadline, NameRules.InclusiveRangeError(1, int.MaxValue)));
        }

        foreach (var field in new[] { "hostname", "subdomain" })
        {
            var value = JsonAccess.Str(spec, field);
            if (value.Length > 0)
            {
                errs.AddRange(Dns1123Label(value, path.Child(field)));
            }
        }

        errs.AddRange(ValidateTolerations(JsonAccess.Arr(spec, "tolerations"), path.Child("tolerations")));
        foreach (var (i, alias) in JsonAccess.Items(spec, "hostAliases"))
        {
            errs.AddRange(FormatRules.IpAddress(path.Child("hostAliases").Index(i).Child("ip"), JsonAccess.Str(alias, "ip")));
            var names = JsonAccess.StringList(alias["hostnames"]) ?? [];
            for (var j = 0; j < names.Count; j++)
            {
                errs.AddRange(Dns1123Subdomain(names[j], path.Child("hostAliases").Index(i).Child("hostnames").Index(j)));
            }
        }

        NameCheck(spec, "priorityClassName", path, NameRules.NameIsDnsSubdomain, errs);
        if (JsonAccess.String(spec, "runtimeClassName") is { } runtimeClass)
        {
            errs.AddRange(Dns1123Subdomain(runtimeClass, path.Child("runtimeClassName")));
        }

        if (JsonAccess.String(spec, "preemptionPolicy") is { } preemption)
        {
            errs.AddRange(Enum(preemption, path.Child("preemptionPolicy"), ["PreemptLowerPriority", "Never"]));
        }

        if (JsonAccess.Obj(spec, "overhead") is { } overhead)
        {
            errs.AddRange(ValidateResourceRequirements(new JsonObject { ["limits"] = overhead.DeepClone() }, null, path.Child("overhead")));
        }

        if (JsonAccess.Obj(spec, "os") is { } os)
        {
            var osName = JsonAccess.Str(os, "name");
            if (osName.Length == 0)
            {
                errs.Add(FieldError.Required(path.Child("os").Child("name"), "cannot be empty"));
            }
            else if (osName is not ("linux" or "windows"))
            {
                errs.Add(FieldError.NotSupported(path.Child("os"), osName, ["linux", "windows"]));
            }
        }

        return errs;
    }

    /// <summary>
    /// Validates a pod template (<c>spec.template</c> of workloads): its labels and annotations and the pod spec.
    /// Ephemeral containers are not allowed in templates.
    /// </summary>
    public static FieldErrorList ValidatePodTemplateSpec(JsonObject? template, FieldPath path)
    {
        var errs = new FieldErrorList();
        template ??= [];
        var meta = JsonAccess.Obj(template, "metadata");
        var spec = JsonAccess.Obj(template, "spec") ?? [];
        errs.AddRange(ObjectMetaRules.ValidateLabels(JsonAccess.Get(meta, "labels"), path.Child("labels")));
        errs.AddRange(ObjectMetaRules.ValidateAnnotations(JsonAccess.Get(meta, "annotations"), path.Child("annotations")));
        errs.AddRange(ValidatePodSpecificAnnotations(JsonAccess.Obj(meta, "annotations"), spec, path.Child("annotations")));
        errs.AddRange(ValidatePodSpec(spec, null, path.Child("spec"), isPod: false));
        if (JsonAccess.Count(spec, "ephemeralContainers") > 0)
        {
            errs.Add(FieldError.Forbidden(path.Child("spec", "ephemeralContainers"), "ephemeral containers not allowed in pod template"));
        }

        return errs;
    }

    /// <summary>Rules for well-known pod annotations: mirror pods need a node, the deletion cost is an int32, seccomp profiles.</summary>
    public static FieldErrorList ValidatePodSpecificAnnotations(JsonObject? annotations, JsonObject spec, FieldPath path)
    {
        var errs = new FieldErrorList();
        if (annotations is null)
        {
            return errs;
        }

        if (JsonAccess.String(annotations, "kubernetes.io/config.mirror") is { } mirror && JsonAccess.Str(spec, "nodeName").Length == 0)
        {
            errs.Add(FieldError.Invalid(path.Key("kubernetes.io/config.mirror"), mirror, "must set spec.nodeName if mirror pod annotation is set"));
        }

        if (JsonAccess.String(annotations, "controller.kubernetes.io/pod-deletion-cost") is { } cost
            && !int.TryParse(cost, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            errs.Add(FieldError.Invalid(path.Key("controller.kubernetes.io/pod-deletion-cost"), cost, "must be a 32bit integer"));
        }

        foreach (var (key, value) in annotations)
        {
            if (key == "seccomp.security.alpha.kubernetes.io/pod" || key.StartsWith("container.seccomp.security.alpha.kubernetes.io/", StringComparison.Ordinal))
            {
                var profile = JsonAccess.AsString(value) ?? "";
                if (profile is not ("runtime/default" or "docker/default" or "unconfined") && !profile.StartsWith("localhost/", StringComparison.Ordinal))
                {
                    errs.Add(FieldError.Invalid(path.Child(key), profile, "must be a valid seccomp profile"));
                }
            }
        }

        return errs;
    }

    /// <summary><c>Unsupported value</c> for anything outside <paramref name="allowed"/>, <c>Required value</c> for "".</summary>
    internal static FieldErrorList Enum(string value, FieldPath path, string[] allowed)
    {
        if (value.Length == 0)
        {
            return [FieldError.Required(path)];
        }

        return allowed.Contains(value) ? [] : [FieldError.NotSupported(path, value, allowed)];
    }

    internal static FieldErrorList Dns1123Label(string value, FieldPath path) =>
        new(NameRules.Dns1123Label(value).Select(msg => FieldError.Invalid(path, value, msg)));

    internal static FieldErrorList Dns1123Subdomain(string value, FieldPath path) =>
        new(NameRules.Dns1123Subdomain(value).Select(msg => FieldError.Invalid(path, value, msg)));

    internal static FieldErrorList QualifiedName(string value, FieldPath path) =>
        new(NameRules.QualifiedName(value).Select(msg => FieldError.Invalid(path, value, msg)));

    private static void NameCheck(JsonObject spec, string field, FieldPath path, NameValidator rule, FieldErrorList errs)
    {
        var value = JsonAccess.Str(spec, field);
        if (value.Length == 0)
        {
            return;
        }

        foreach (var msg in rule(value, false))
        {
            errs.Add(FieldError.Invalid(path.Child(field), value, msg));
        }
    }

    private static FieldErrorList ValidateHostNetworkPorts(JsonObject spec, FieldPath path, bool isPod)
    {
        var errs = new FieldErrorList();
        if (JsonAccess.Bool(spec, "hostNetwork") != true)
        {
            return errs;
        }

        foreach (var (i, container) in JsonAccess.Items(spec, "containers"))
        {
            foreach (var (j, port) in JsonAccess.Items(container, "ports"))
            {
                var hostPort = JsonAccess.Long(port, "hostPort") ?? 0;
                var containerPort = JsonAccess.Long(port, "containerPort") ?? 0;
                if ((isPod || hostPort != 0) && hostPort != containerPort)
                {
                    errs.Add(FieldError.Invalid(path.Child("containers").Index(i).Child("ports").Index(j).Child("hostPort"), hostPort,
                        "must match `containerPort` when `hostNetwork` is true"));
                }
            }
        }

        return errs;
    }

    private static FieldErrorList ValidateImagePullSecrets(JsonArray? secrets, FieldPath path)
    {
        var errs = new FieldErrorList();
        for (var i = 0; i < (secrets?.Count ?? 0); i++)
        {
            if (secrets![i] is JsonObject secret && secret.Any(p => p.Key != "name"))
            {
                errs.Add(FieldError.Invalid(path.Index(i), new GoLiteral($"core.LocalObjectReference{{Name:{GoSyntax.Quote(JsonAccess.Str(secret, "name"))}}}"),
                    "only name may be set"));
            }
        }

        return errs;
    }

    private static HashSet<string> ValidatePodResourceClaims(JsonObject spec, FieldPath path, FieldErrorList errs)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (i, claim) in JsonAccess.Items(spec, "resourceClaims"))
        {
            var name = JsonAccess.Str(claim, "name");
            if (name.Length == 0)
            {
                errs.Add(FieldError.Required(path.Index(i).Child("name")));
            }
            else if (!names.Add(name))
            {
                errs.Add(FieldError.Duplicate(path.Index(i).Child("name"), name));
            }
            else
            {
                errs.AddRange(Dns1123Label(name, path.Index(i).Child("name")));
            }
        }

        return names;
    }

    private static FieldErrorList ValidateDnsConfig(JsonObject? config, string dnsPolicy, FieldPath path)
    {
        var errs = new FieldErrorList();
        if (dnsPolicy == "None")
        {
            if (config is null)
            {
                return [FieldError.Required(path, "must provide `dnsConfig` when `dnsPolicy` is None")];
            }

            if (JsonAccess.Count(config, "nameservers") == 0)
            {
                return [FieldError.Required(path.Child("nameservers"), "must provide at least one DNS nameserver when `dnsPolicy` is None")];
            }
        }

        if (config is null)
        {
            return errs;
        }

        var nameservers = JsonAccess.StringList(config["nameservers"]) ?? [];
        if (nameservers.Count > 3)
        {
            errs.Add(FieldError.Invalid(path.Child("nameservers"), nameservers, "must not have more than 3 nameservers"));
        }

        for (var i = 0; i < nameservers.Count; i++)
        {
            errs.AddRange(FormatRules.IpAddress(path.Child("nameservers").Index(i), nameservers[i]));
        }

        var searches = JsonAccess.StringList(config["searches"]) ?? [];
        if (searches.Count > 32)
        {
            errs.Add(FieldError.Invalid(path.Child("searches"), searches, "must not have more than 32 search paths"));
        }

        if (string.Join(" ", searches).Length > 2048)
        {
            errs.Add(FieldError.Invalid(path.Child("searches"), searches, "must not have more than 2048 characters (including spaces) in the search list"));
        }

        for (var i = 0; i < searches.Count; i++)
        {
            if (searches[i] != ".")
            {
                var search = searches[i].EndsWith('.') ? searches[i][..^1] : searches[i];
                foreach (var msg in NameRules.Dns1123SubdomainWithUnderscore(search))
                {
                    errs.Add(FieldError.Invalid(path.Child("searches").Index(i), search, msg));
                }
            }
        }

        foreach (var (i, option) in JsonAccess.Items(config, "options"))
        {
            if (JsonAccess.Str(option, "name").Length == 0)
            {
                errs.Add(FieldError.Required(path.Child("options").Index(i), "must not be empty"));
            }
        }

        return errs;
    }
}
