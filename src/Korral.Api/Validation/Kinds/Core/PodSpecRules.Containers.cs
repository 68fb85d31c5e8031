using System.Text.Json.Nodes;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation.Kinds.Core;

public static partial class PodSpecRules
{
    private static readonly string[] PortProtocols = ["SCTP", "TCP", "UDP"];
    private static readonly string[] PullPolicies = ["Always", "IfNotPresent", "Never"];
    private static readonly string[] TerminationMessagePolicies = ["File", "FallbackToLogsOnError"];

    private static readonly string[] EnvFieldPaths =
    [
        "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName",
        "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs",
    ];

    private static readonly HashSet<string> ConvertibleFieldPaths = new(StringComparer.Ordinal)
    {
        "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName",
        "spec.restartPolicy", "spec.serviceAccountName", "spec.schedulerName", "status.phase", "status.hostIP", "status.hostIPs",
        "status.podIP", "status.podIPs",
    };

    private static readonly string[] ContainerResourceFieldPaths =
    [
        "limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory",
    ];

    private static FieldErrorList ValidateContainers(JsonArray? containers, Dictionary<string, JsonObject> volumes, HashSet<string> claimNames,
        long? gracePeriod, FieldPath path, string restartPolicy)
    {
        var errs = new FieldErrorList();
        if (containers is null || containers.Count == 0)
        {
            errs.Add(FieldError.Required(path));
            return errs;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < containers.Count; i++)
        {
            var c = containers[i] as JsonObject ?? [];
            var cPath = path.Index(i);
            errs.AddRange(ValidateContainerCommon(c, volumes, claimNames, cPath, restartPolicy));
            var name = JsonAccess.Str(c, "name");
            if (!names.Add(name))
            {
                errs.Add(FieldError.Duplicate(cPath.Child("name"), name));
            }

            if (JsonAccess.Obj(c, "lifecycle") is { } lifecycle)
            {
                errs.AddRange(ValidateLifecycle(lifecycle, gracePeriod, cPath.Child("lifecycle")));
            }

            errs.AddRange(ValidateProbe(JsonAccess.Obj(c, "livenessProbe"), cPath.Child("livenessProbe"), ProbeKind.Liveness));
            errs.AddRange(ValidateProbe(JsonAccess.Obj(c, "readinessProbe"), cPath.Child("readinessProbe"), ProbeKind.Readiness));
            errs.AddRange(ValidateProbe(JsonAccess.Obj(c, "startupProbe"), cPath.Child("startupProbe"), ProbeKind.Startup));
            if (JsonAccess.Has(c, "restartPolicy"))
            {
                errs.Add(FieldError.Forbidden(cPath.Child("restartPolicy"), "may not be set for non-init containers"));
            }
        }

        errs.AddRange(CheckHostPortConflicts(containers.Select(n => n as JsonObject ?? []).ToList(), path));
        return errs;
    }

    private static FieldErrorList ValidateInitContainers(JsonArray? initContainers, JsonArray? regular, Dictionary<string, JsonObject> volumes,
        HashSet<string> claimNames, long? gracePeriod, FieldPath path, string restartPolicy)
    {
        var errs = new FieldErrorList();
        if (initContainers is null)
        {
            return errs;
        }

        var names = new HashSet<string>((regular ?? []).Select(n => JsonAccess.Str(n, "name")), StringComparer.Ordinal);
        for (var i = 0; i < initContainers.Count; i++)
        {
            var c = initContainers[i] as JsonObject ?? [];
            var cPath = path.Index(i);
            errs.AddRange(ValidateContainerCommon(c, volumes, claimNames, cPath, restartPolicy));
            var restartAlways = false;
            if (JsonAccess.String(c, "restartPolicy") is { } containerRestart)
            {
                if (containerRestart != "Always")
                {
                    errs.Add(FieldError.NotSupported(cPath.Child("restartPolicy"), containerRestart, ["Always"]));
                }

                restartAlways = containerRestart == "Always";
            }

            var name = JsonAccess.Str(c, "name");
            if (names.Contains(name))
            {
                errs.Add(FieldError.Duplicate(cPath.Child("name"), name));
            }
            else if (name.Length > 0)
            {
                names.Add(name);
            }

            errs.AddRange(CheckHostPortConflicts([c], path));
            if (restartAlways)
            {
                if (JsonAccess.Obj(c, "lifecycle") is { } lifecycle)
                {
                    errs.AddRange(ValidateLifecycle(lifecycle, gracePeriod, cPath.Child("lifecycle")));
                }

                errs.AddRange(ValidateProbe(JsonAccess.Obj(c, "livenessProbe"), cPath.Child("livenessProbe"), ProbeKind.Liveness));
                errs.AddRange(ValidateProbe(JsonAccess.Obj(c, "readinessProbe"), cPath.Child("readinessProbe"), ProbeKind.Readiness));
                errs.AddRange(ValidateProbe(JsonAccess.Obj(c, "startupProbe"), cPath.Child("startupProbe"), ProbeKind.Startup));
            }
            else
            {
                foreach (var field in new[] { "lifecycle", "livenessProbe", "readinessProbe", "startupProbe" })
                {
                    if (JsonAccess.Has(c, field))
                    {
                        errs.Add(FieldError.Forbidden(cPath.Child(field), "may not be set for init containers without restartPolicy=Always"));
                    }
                }
            }
        }

        return errs;
    }

    private static readonly HashSet<string> EphemeralAllowedFields = new(StringComparer.Ordinal)
    {
        "name", "image", "command", "args", "workingDir", "envFrom", "env", "volumeMounts", "volumeDevices", "terminationMessagePath",
        "terminationMessagePolicy", "imagePullPolicy", "securityContext", "stdin", "stdinOnce", "tty", "targetContainerName",
    };

    private static FieldErrorList ValidateEphemeralContainers(JsonObject spec, Dictionary<string, JsonObject> volumes, HashSet<string> claimNames,
        FieldPath path, string restartPolicy)
    {
        var errs = new FieldErrorList();
        if (JsonAccess.Arr(spec, "ephemeralContainers") is not { Count: > 0 } ephemeral)
        {
            return errs;
        }

        var other = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in (JsonAccess.Arr(spec, "containers") ?? []).Concat(JsonAccess.Arr(spec, "initContainers") ?? []))
        {
            other.Add(JsonAccess.Str(c, "name"));
        }

        var all = new HashSet<string>(other, StringComparer.Ordinal);
        for (var i = 0; i < ephemeral.Count; i++)
        {
            var c = ephemeral[i] as JsonObject ?? [];
            var cPath = path.Index(i);
            errs.AddRange(ValidateContainerCommon(c, volumes, claimNames, cPath, restartPolicy));
            errs.AddRange(ValidateImageWhitespace(c, cPath));
            var name = JsonAccess.Str(c, "name");
            if (!all.Add(name))
            {
                errs.Add(FieldError.Duplicate(cPath.Child("name"), name));
            }

            var target = JsonAccess.Str(c, "targetContainerName");
            if (target.Length > 0 && !other.Contains(target))
            {
                errs.Add(FieldError.NotFound(cPath.Child("targetContainerName"), target));
            }

            foreach (var (key, value) in c)
            {
                if (!EphemeralAllowedFields.Contains(key) && !JsonAccess.SemanticEquals(value, null))
                {
                    errs.Add(FieldError.Forbidden(cPath.Child(key), "cannot be set for an Ephemeral Container"));
                }
            }

            foreach (var (j, mount) in JsonAccess.Items(c, "volumeMounts"))
            {
                if (JsonAccess.Str(mount, "subPath").Length > 0)
                {
                    errs.Add(FieldError.Forbidden(cPath.Child("volumeMounts").Index(j).Child("subPath"), "cannot be set for an Ephemeral Container"));
                }

                if (JsonAccess.Str(mount, "subPathExpr").Length > 0)
                {
                    errs.Add(FieldError.Forbidden(cPath.Child("volumeMounts").Index(j).Child("subPathExpr"), "cannot be set for an Ephemeral Container"));
                }
            }
        }

        return errs;
    }

    /// <summary>Pods (not templates) reject images with leading or trailing whitespace.</summary>
    internal static FieldErrorList ValidateImageWhitespace(JsonObject container, FieldPath path)
    {
        var image = JsonAccess.Str(container, "image");
        return image.Length != image.Trim().Length
            ? [FieldError.Invalid(path.Child("image"), image, "must not have leading or trailing whitespace")]
            : [];
    }

    private static FieldErrorList ValidateContainerCommon(JsonObject c, Dictionary<string, JsonObject> volumes, HashSet<string> claimNames,
        FieldPath path, string restartPolicy)
    {
        var errs = new FieldErrorList();
        var name = JsonAccess.Str(c, "name");
        if (name.Length == 0)
        {
            errs.Add(FieldError.Required(path.Child("name")));
        }
        else
        {
            errs.AddRange(Dns1123Label(name, path.Child("name")));
        }

        if (JsonAccess.Str(c, "image").Length == 0)
        {
            errs.Add(FieldError.Required(path.Child("image")));
        }

        errs.AddRange(Enum(JsonAccess.Str(c, "terminationMessagePolicy"), path.Child("terminationMessagePolicy"), TerminationMessagePolicies));
        errs.AddRange(ValidateContainerPorts(JsonAccess.Arr(c, "ports"), path.Child("ports")));
        errs.AddRange(ValidateEnv(JsonAccess.Arr(c, "env"), path.Child("env")));
        errs.AddRange(ValidateEnvFrom(JsonAccess.Arr(c, "envFrom"), path.Child("envFrom")));
        var deviceNames = JsonAccess.Items(c, "volumeDevices").ToDictionary(d => JsonAccess.Str(d.Item, "name"), d => JsonAccess.Str(d.Item, "devicePath"));
        var mountNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (_, m) in JsonAccess.Items(c, "volumeMounts"))
        {
            mountNames[JsonAccess.Str(m, "name")] = JsonAccess.Str(m, "mountPath");
        }

        errs.AddRange(ValidateVolumeMounts(c, deviceNames, volumes, path.Child("volumeMounts")));
        errs.AddRange(ValidateVolumeDevices(c, mountNames, volumes, path.Child("volumeDevices")));
        errs.AddRange(Enum(JsonAccess.Str(c, "imagePullPolicy"), path.Child("imagePullPolicy"), PullPolicies));
        errs.AddRange(ValidateResourceRequirements(JsonAccess.Obj(c, "resources"), claimNames, path.Child("resources")));
        errs.AddRange(ValidateResizePolicy(JsonAccess.Arr(c, "resizePolicy"), path.Child("resizePolicy"), restartPolicy));
        errs.AddRange(ValidateContainerSecurityContext(JsonAccess.Obj(c, "securityContext"), path.Child("securityContext")));
        return errs;
    }

    private static FieldErrorList ValidateContainerPorts(JsonArray? ports, FieldPath path)
    {
        var errs = new FieldErrorList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (ports?.Count ?? 0); i++)
        {
            var port = ports![i] as JsonObject ?? [];
            var pPath = path.Index(i);
            var name = JsonAccess.Str(port, "name");
            if (name.Length > 0)
            {
                var msgs = FormatRules.PortName(name);
                if (msgs.Count > 0)
                {
                    errs.AddRange(msgs.Select(m => FieldError.Invalid(pPath.Child("name"), name, m)));
                }
                else if (!names.Add(name))
                {
                    errs.Add(FieldError.Duplicate(pPath.Child("name"), name));
                }
            }

            var containerPort = JsonAccess.Long(port, "containerPort") ?? 0;
            if (containerPort == 0)
            {
                errs.Add(FieldError.Required(pPath.Child("containerPort")));
            }
            else
            {
                errs.AddRange(FormatRules.PortNumber(containerPort).Select(m => FieldError.Invalid(pPath.Child("containerPort"), containerPort, m)));
            }

            var hostPort = JsonAccess.Long(port, "hostPort") ?? 0;
            if (hostPort != 0)
            {
                errs.AddRange(FormatRules.PortNumber(hostPort).Select(m => FieldError.Invalid(pPath.Child("hostPort"), hostPort, m)));
            }

            errs.AddRange(Enum(JsonAccess.Str(port, "protocol"), pPath.Child("protocol"), PortProtocols));
        }

        return errs;
    }

    private static FieldErrorList CheckHostPortConflicts(List<JsonObject> containers, FieldPath path)
    {
        var errs = new FieldErrorList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < containers.Count; i++)
        {
            foreach (var (j, port) in JsonAccess.Items(containers[i], "ports"))
            {
                var hostPort = JsonAccess.Long(port, "hostPort") ?? 0;
                if (hostPort == 0)
                {
                    continue;
                }

                var key = $"{JsonAccess.Str(port, "protocol")}/{JsonAccess.Str(port, "hostIP")}/{hostPort}";
                if (!seen.Add(key))
                {
                    errs.Add(FieldError.Duplicate(path.Index(i).Child("ports").Index(j).Child("hostPort"), key));
                }
            }
        }

        return errs;
    }

    private static FieldErrorList ValidateEnv(JsonArray? env, FieldPath path)
    {
        var errs = new FieldErrorList();
        for (var i = 0; i < (env?.Count ?? 0); i++)
        {
            var ev = env![i] as JsonObject ?? [];
            var ePath = path.Index(i);
            var name = JsonAccess.Str(ev, "name");
            if (name.Length == 0)
            {
                errs.Add(FieldError.Required(ePath.Child("name")));
            }
            else
            {
                errs.AddRange(FormatRules.RelaxedEnvVarName(name).Select(m => FieldError.Invalid(ePath.Child("name"), name, m)));
            }

            errs.AddRange(ValidateEnvValueFrom(ev, ePath.Child("valueFrom")));
        }

        return errs;
    }

    private static FieldErrorList ValidateEnvValueFrom(JsonObject ev, FieldPath path)
    {
        var errs = new FieldErrorList();
        if (JsonAccess.Obj(ev, "valueFrom") is not { } from)
        {
            return errs;
        }

        var sources = 0;
        if (JsonAccess.Obj(from, "fieldRef") is { } fieldRef)
        {
            sources++;
            errs.AddRange(ValidateObjectFieldSelector(fieldRef, EnvFieldPaths, path.Child("fieldRef")));
        }

        if (JsonAccess.Obj(from, "resourceFieldRef") is { } resourceRef)
        {
            sources++;
            errs.AddRange(ValidateResourceFieldSelector(resourceRef, path.Child("resourceFieldRef"), volume: false));
        }

        foreach (var key in new[] { "configMapKeyRef", "secretKeyRef" })
        {
            if (JsonAccess.Obj(from, key) is { } keyRef)
            {
                sources++;
                var refPath = path.Child(key);
                var refName = JsonAccess.Str(keyRef, "name");
                errs.AddRange(NameRules.NameIsDnsSubdomain(refName, false).Select(m => FieldError.Invalid(refPath.Child("name"), refName, m)));
                var refKey = JsonAccess.Str(keyRef, "key");
                if (refKey.Length == 0)
                {
                    errs.Add(FieldError.Required(refPath.Child("key")));
                }
                else
                {
                    errs.AddRange(FormatRules.ConfigMapKey(refKey).Select(m => FieldError.Invalid(refPath.Child("key"), refKey, m)));
                }
            }
        }

        if (sources == 0)
        {
            errs.Add(FieldError.Invalid(path, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"));
        }
        else if (JsonAccess.Str(ev, "value").Length != 0)
        {
            errs.Add(FieldError.Invalid(path, "", "may not be specified when `value` is not empty"));
        }
        else if (sources > 1)
        {
            errs.Add(FieldError.Invalid(path, "", "may not have more than one field specified at a time"));
        }

        return errs;
    }

    private static FieldErrorList ValidateObjectFieldSelector(JsonObject selector, string[] allowed, FieldPath path)
    {
        var apiVersion = JsonAccess.Str(selector, "apiVersion");
        if (apiVersion.Length == 0)
        {
            return [FieldError.Required(path.Child("apiVersion"))];
        }

        var fieldPath = JsonAccess.Str(selector, "fieldPath");
        if (fieldPath.Length == 0)
        {
            return [FieldError.Required(path.Child("fieldPath"))];
        }

        var bracket = fieldPath.IndexOf('[');
        var basePath = bracket < 0 ? fieldPath : fieldPath[..bracket];
        if (!ConvertibleFieldPaths.Contains(basePath) || apiVersion != "v1")
        {
            var reason = apiVersion != "v1" ? $"unsupported pod version: {apiVersion}" : $"field label not supported: {fieldPath}";
            return [FieldError.Invalid(path.Child("fieldPath"), fieldPath, "error converting fieldPath: " + reason)];
        }

        if (bracket >= 0)
        {
            if (fieldPath.EndsWith("']", StringComparison.Ordinal) && fieldPath.Length > bracket + 4 && fieldPath[bracket + 1] == '\'')
            {
                var subscript = fieldPath[(bracket + 2)..^2];
                return basePath switch
                {
                    "metadata.annotations" => QualifiedName(subscript.ToLowerInvariant(), path),
                    "metadata.labels" => QualifiedName(subscript, path),
                    _ => [FieldError.Invalid(path, basePath, "does not support subscript")],
                };
            }

            return [FieldError.Invalid(path.Child("fieldPath"), fieldPath, "error converting fieldPath: field label not supported: " + fieldPath)];
        }

        return allowed.Contains(fieldPath) ? [] : [FieldError.NotSupported(path.Child("fieldPath"), fieldPath, allowed)];
    }

    private static FieldErrorList ValidateResourceFieldSelector(JsonObject selector, FieldPath path, bool volume)
    {
        var resource = JsonAccess.Str(selector, "resource");
        if (volume && JsonAccess.Str(selector, "containerName").Length == 0)
        {
            return [FieldError.Required(path.Child("containerName"))];
        }

        if (resource.Length == 0)
        {
            return [FieldError.Required(path.Child("resource"))];
        }

        if (!ContainerResourceFieldPaths.Contains(resource)
            && !resource.StartsWith("requests.hugepages-", StringComparison.Ordinal)
            && !resource.StartsWith("limits.hugepages-", StringComparison.Ordinal))
        {
            return [FieldError.NotSupported(path.Child("resource"), resource, ContainerResourceFieldPaths)];
        }

        return [];
    }

    private static FieldErrorList ValidateEnvFrom(JsonArray? envFrom, FieldPath path)
    {
        var errs = new FieldErrorList();
        for (var i = 0; i < (envFrom?.Count ?? 0); i++)
        {
            var ev = envFrom![i] as JsonObject ?? [];
            var ePath = path.Index(i);
            var prefix = JsonAccess.Str(ev, "prefix");
            if (prefix.Length > 0)
            {
                errs.AddRange(FormatRules.RelaxedEnvVarName(prefix).Select(m => FieldError.Invalid(ePath.Child("prefix"), prefix, m)));
            }

            var sources = 0;
            foreach (var key in new[] { "configMapRef", "secretRef" })
            {
                if (JsonAccess.Obj(ev, key) is { } source)
                {
                    sources++;
                    var name = JsonAccess.Str(source, "name");
                    if (name.Length == 0)
                    {
                        errs.Add(FieldError.Required(ePath.Child(key, "name")));
                    }
                    else
                    {
                        errs.AddRange(NameRules.NameIsDnsSubdomain(name, true).Select(m => FieldError.Invalid(ePath.Child(key, "name"), name, m)));
                    }
                }
            }

            if (sources == 0)
            {
                errs.Add(FieldError.Invalid(path, "", "must specify one of: `configMapRef` or `secretRef`"));
            }
            else if (sources > 1)
            {
                errs.Add(FieldError.Invalid(path, "", "may not have more than one field specified at a time"));
            }
        }

        return errs;
    }

    private static FieldErrorList ValidateVolumeMounts(JsonObject container, Dictionary<string, string> devices, Dictionary<string, JsonObject> volumes,
        FieldPath path)
    {
        var errs = new FieldErrorList();
        var mountPoints = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (i, mount) in JsonAccess.Items(container, "volumeMounts"))
        {
            var mPath = path.Index(i);
            var name = JsonAccess.Str(mount, "name");
            var mountPath = JsonAccess.Str(mount, "mountPath");
            if (name.Length == 0)
            {
                errs.Add(FieldError.Required(mPath.Child("name")));
            }

            if (!volumes.ContainsKey(name))
            {
                errs.Add(FieldError.NotFound(mPath.Child("name"), name));
            }

            if (mountPath.Length == 0)
            {
                errs.Add(FieldError.Required(mPath.Child("mountPath")));
            }

            if (!mountPoints.Add(mountPath))
            {
                errs.Add(FieldError.Invalid(mPath.Child("mountPath"), mountPath, "must be unique"));
            }

            if (devices.ContainsKey(name))
            {
                errs.Add(FieldError.Invalid(mPath.Child("name"), name, "must not already exist in volumeDevices"));
            }

            if (devices.ContainsValue(mountPath))
            {
                errs.Add(FieldError.Invalid(mPath.Child("mountPath"), mountPath, "must not already exist as a path in volumeDevices"));
            }

            var subPath = JsonAccess.Str(mount, "subPath");
            var subPathExpr = JsonAccess.Str(mount, "subPathExpr");
            if (volumes.TryGetValue(name, out var volume) && JsonAccess.Has(volume, "image"))
            {
                if (subPath.Length != 0)
                {
                    errs.Add(FieldError.Invalid(mPath.Child("subPath"), subPath, "not allowed in image volume sources"));
                }

                if (subPathExpr.Length != 0)
                {
                    errs.Add(FieldError.Invalid(mPath.Child("subPathExpr"), subPathExpr, "not allowed in image volume sources"));
                }
            }

            if (subPath.Length > 0)
            {
                errs.AddRange(ValidateLocalDescendingPath(subPath, path.Child("subPath")));
            }

            if (subPathExpr.Length > 0)
            {
                if (subPath.Length > 0)
                {
                    errs.Add(FieldError.Invalid(mPath.Child("subPathExpr"), subPathExpr, "subPathExpr and subPath are mutually exclusive"));
                }

                errs.AddRange(ValidateLocalDescendingPath(subPathExpr, path.Child("subPathExpr")));
            }

            if (JsonAccess.String(mount, "mountPropagation") is { } propagation)
            {
                if (propagation is not ("Bidirectional" or "HostToContainer" or "None"))
                {
                    errs.Add(FieldError.NotSupported(path.Child("mountPropagation"), propagation, ["Bidirectional", "HostToContainer", "None"]));
                }

                var privileged = JsonAccess.Bool(JsonAccess.Obj(container, "securityContext"), "privileged") == true;
                if (propagation == "Bidirectional" && !privileged)
                {
                    errs.Add(FieldError.Forbidden(path.Child("mountPropagation"), "Bidirectional mount propagation is available only to privileged containers"));
                }
            }

            if (JsonAccess.String(mount, "recursiveReadOnly") is { } rro)
            {
                var rroPath = path.Child("recursiveReadOnly");
                switch (rro)
                {
                    case "Disabled":
                        break;
                    case "Enabled" or "IfPossible":
                        if (JsonAccess.Bool(mount, "readOnly") != true)
                        {
                            errs.Add(FieldError.Forbidden(rroPath, "may only be specified when readOnly is true"));
                        }

                        if (JsonAccess.String(mount, "mountPropagation") is { } p && p != "None")
                        {
                            errs.Add(FieldError.Forbidden(rroPath, "may only be specified when mountPropagation is None or not specified"));
                        }

                        break;
                    default:
                        errs.Add(FieldError.NotSupported(rroPath, rro, ["Disabled", "Enabled", "IfPossible"]));
                        break;
                }
            }
        }

        return errs;
    }

    private static FieldErrorList ValidateVolumeDevices(JsonObject container, Dictionary<string, string> mounts, Dictionary<string, JsonObject> volumes,
        FieldPath path)
    {
        var errs = new FieldErrorList();
        var devicePaths = new HashSet<string>(StringComparer.Ordinal);
        var deviceNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (i, device) in JsonAccess.Items(container, "volumeDevices"))
        {
            var dPath = path.Index(i);
            var name = JsonAccess.Str(device, "name");
            var devicePath = JsonAccess.Str(device, "devicePath");
            var matched = volumes.TryGetValue(name, out var volume);
            var isPvc = matched && (JsonAccess.Has(volume, "persistentVolumeClaim") || JsonAccess.Has(volume, "ephemeral"));
            if (name.Length == 0)
            {
                errs.Add(FieldError.Required(dPath.Child("name")));
            }

            if (deviceNames.Contains(name))
            {
                errs.Add(FieldError.Invalid(dPath.Child("name"), name, "must be unique"));
            }

            if (matched && !isPvc)
            {
                errs.Add(FieldError.Invalid(dPath.Child("name"), name, "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode"));
            }

            if (!matched)
            {
                errs.Add(FieldError.NotFound(dPath.Child("name"), name));
            }

            if (devicePath.Length == 0)
            {
                errs.Add(FieldError.Required(dPath.Child("devicePath")));
            }

            if (devicePaths.Contains(devicePath))
            {
                errs.Add(FieldError.Invalid(dPath.Child("devicePath"), devicePath, "must be unique"));
            }

            if (devicePath.Length > 0 && devicePath.Replace('\\', '/').Split('/').Contains(".."))
            {
                errs.Add(FieldError.Invalid(dPath.Child("devicePath"), devicePath, "can not contain backsteps ('..')"));
            }
            else
            {
                devicePaths.Add(devicePath);
            }

            if (mounts.ContainsKey(name))
            {
                errs.Add(FieldError.Invalid(dPath.Child("name"), name, "must not already exist in volumeMounts"));
            }

            if (mounts.ContainsValue(devicePath))
            {
                errs.Add(FieldError.Invalid(dPath.Child("devicePath"), devicePath, "must not already exist as a path in volumeMounts"));
            }

            if (name.Length > 0)
            {
                deviceNames.Add(name);
            }
        }

        return errs;
    }

    private enum ProbeKind
    {
        Liveness,
        Readiness,
        Startup,
    }

    private static FieldErrorList ValidateProbe(JsonObject? probe, FieldPath path, ProbeKind kind)
    {
        var errs = new FieldErrorList();
        if (probe is null)
        {
            return errs;
        }

        errs.AddRange(ValidateHandler(probe, null, path, lifecycle: false));
        foreach (var field in new[] { "initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold" })
        {
            errs.AddRange(CommonRules.NonNegative(JsonAccess.Long(probe, field) ?? 0, path.Child(field)));
        }

        if (JsonAccess.Long(probe, "terminationGracePeriodSeconds") is { } tgp && tgp <= 0)
        {
            errs.Add(FieldError.Invalid(path.Child("terminationGracePeriodSeconds"), tgp, "must be greater than 0"));
        }

        var success = JsonAccess.Long(probe, "successThreshold") ?? 0;
        if (kind is ProbeKind.Liveness or ProbeKind.Startup && success != 1)
        {
            errs.Add(FieldError.Invalid(path.Child("successThreshold"), success, "must be 1"));
        }

        if (kind == ProbeKind.Readiness && JsonAccess.Long(probe, "terminationGracePeriodSeconds") is { } r)
        {
            errs.Add(FieldError.Invalid(path.Child("terminationGracePeriodSeconds"), r, "must not be set for readinessProbes"));
        }

        return errs;
    }

    private static FieldErrorList ValidateLifecycle(JsonObject lifecycle, long? gracePeriod, FieldPath path)
    {
        var errs = new FieldErrorList();
        foreach (var hook in new[] { "postStart", "preStop" })
        {
            if (JsonAccess.Obj(lifecycle, hook) is { } handler)
            {
                errs.AddRange(ValidateHandler(handler, gracePeriod, path.Child(hook), lifecycle: true));
            }
        }

        return errs;
    }

    private static FieldErrorList ValidateHandler(JsonObject handler, long? gracePeriod, FieldPath path, bool lifecycle)
    {
        var errs = new FieldErrorList();
        var count = 0;
        var kinds = lifecycle ? new[] { "exec", "httpGet", "tcpSocket", "sleep" } : ["exec", "httpGet", "tcpSocket", "grpc"];
        foreach (var kind in kinds)
        {
            if (JsonAccess.Obj(handler, kind) is not { } action)
            {
                continue;
            }

            if (count > 0)
            {
                errs.Add(FieldError.Forbidden(path.Child(kind), "may not specify more than 1 handler type"));
                continue;
            }

            count++;
            var aPath = path.Child(kind);
            switch (kind)
            {
                case "exec":
                    if (JsonAccess.Count(action, "command") == 0)
                    {
                        errs.Add(FieldError.Required(aPath.Child("command")));
                    }

                    break;
                case "httpGet":
                    if (JsonAccess.Str(action, "path").Length == 0)
                    {
                        errs.Add(FieldError.Required(aPath.Child("path")));
                    }

                    errs.AddRange(ValidatePortNumOrName(action["port"], aPath.Child("port")));
                    var scheme = JsonAccess.Str(action, "scheme");
                    if (scheme is not ("HTTP" or "HTTPS"))
                    {
                        errs.Add(FieldError.NotSupported(aPath.Child("scheme"), scheme, ["HTTP", "HTTPS"]));
                    }

                    foreach (var (_, header) in JsonAccess.Items(action, "httpHeaders"))
                    {
                        var headerName = JsonAccess.Str(header, "name");
                        errs.AddRange(FormatRules.HttpHeaderName(headerName).Select(m => FieldError.Invalid(aPath.Child("httpHeaders"), headerName, m)));
                    }

                    break;
                case "tcpSocket":
                    errs.AddRange(ValidatePortNumOrName(action["port"], aPath.Child("port")));
                    break;
                case "grpc":
                    var grpcPort = JsonAccess.Long(action, "port") ?? 0;
                    errs.AddRange(FormatRules.PortNumber(grpcPort).Select(m => FieldError.Invalid(aPath.Child("port"), grpcPort, m)));
                    break;
                case "sleep":
                    var seconds = JsonAccess.Long(action, "seconds") ?? 0;
                    if (gracePeriod is { } g && (seconds < 0 || seconds > g))
                    {
                        errs.Add(FieldError.Invalid(aPath, seconds, $"must be non-negative and less than terminationGracePeriodSeconds ({g})"));
                    }

                    break;
            }
        }

        if (count == 0)
        {
            errs.Add(FieldError.Required(path, "must specify a handler type"));
        }

        return errs;
    }

    /// <summary>An int-or-string port: a number in 1..65535 or an IANA service name.</summary>
    internal static FieldErrorList ValidatePortNumOrName(JsonNode? port, FieldPath path)
    {
        if (JsonAccess.AsString(port) is { } name)
        {
            return new FieldErrorList(FormatRules.PortName(name).Select(m => FieldError.Invalid(path, name, m)));
        }

        var number = JsonAccess.TryGetLong(port, out var n) ? n : 0;
        return new FieldErrorList(FormatRules.PortNumber(number).Select(m => FieldError.Invalid(path, number, m)));
    }

    private static FieldErrorList ValidateResizePolicy(JsonArray? policies, FieldPath path, string podRestartPolicy)
    {
        var errs = new FieldErrorList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (policies?.Count ?? 0); i++)
        {
            var p = policies![i] as JsonObject ?? [];
            var resource = JsonAccess.Str(p, "resourceName");
            var restart = JsonAccess.Str(p, "restartPolicy");
            if (!seen.Add(resource))
            {
                errs.Add(FieldError.Duplicate(path.Index(i), resource));
            }

            if (resource.Length == 0)
            {
                errs.Add(FieldError.Required(path));
            }
            else if (resource is not ("cpu" or "memory"))
            {
                errs.Add(FieldError.NotSupported(path, resource, ["cpu", "memory"]));
            }

            if (restart.Length == 0)
            {
                errs.Add(FieldError.Required(path));
            }
            else if (restart is not ("NotRequired" or "RestartContainer"))
            {
                errs.Add(FieldError.NotSupported(path, restart, ["NotRequired", "RestartContainer"]));
            }

            if (podRestartPolicy == "Never" && restart != "NotRequired")
            {
                errs.Add(FieldError.Invalid(path, restart, "must be 'NotRequired' when `restartPolicy` is 'Never'"));
            }
        }

        return errs;
    }
}
