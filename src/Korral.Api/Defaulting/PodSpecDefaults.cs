using System.Text.Json.Nodes;
using Korral.Api.Validation;
using Korral.Api.Validation.Quantities;

namespace Korral.Api.Defaulting;

/// <summary>
/// Upstream's defaults of pod specs (Pods and every pod template): policies, grace period, scheduler, security
/// context, container pull policy and termination message settings, port protocols, probe timings, volume modes,
/// quantities rounded up to milli units.
/// </summary>
public static class PodSpecDefaults
{
    /// <summary>File mode of secret, configMap, downwardAPI and projected volumes (0644).</summary>
    public const int DefaultVolumeMode = 420;

    /// <summary>The defaults of a Pod object: pod-level ones (requests from limits, service links, host ports) and the spec's.</summary>
    public static void DefaultPod(JsonObject pod)
    {
        var spec = JsonAccess.Ensure(pod, "spec");
        foreach (var list in new[] { "containers", "initContainers" })
        {
            foreach (var (_, container) in JsonAccess.Items(spec, list))
            {
                if (JsonAccess.Obj(JsonAccess.Obj(container, "resources"), "limits") is { } limits)
                {
                    var resources = JsonAccess.Ensure(container, "resources");
                    var requests = JsonAccess.Ensure(resources, "requests");
                    foreach (var (name, value) in limits)
                    {
                        if (!requests.ContainsKey(name))
                        {
                            requests[name] = value?.DeepClone();
                        }
                    }
                }
            }
        }

        JsonAccess.SetIfMissing(spec, "enableServiceLinks", true);
        if (JsonAccess.Bool(spec, "hostNetwork") == true)
        {
            foreach (var list in new[] { "containers", "initContainers" })
            {
                foreach (var (_, container) in JsonAccess.Items(spec, list))
                {
                    foreach (var (_, port) in JsonAccess.Items(container, "ports"))
                    {
                        if ((JsonAccess.Long(port, "hostPort") ?? 0) == 0)
                        {
                            port["hostPort"] = port["containerPort"]?.DeepClone();
                        }
                    }
                }
            }
        }

        DefaultPodSpec(spec);
    }

    /// <summary>The defaults of a pod template (<c>spec.template</c> of workloads): the pod spec's only.</summary>
    public static void DefaultPodTemplate(JsonObject? template)
    {
        if (template is null)
        {
            return;
        }

        DefaultPodSpec(JsonAccess.Ensure(template, "spec"));
    }

    /// <summary>The defaults of a pod spec and everything in it.</summary>
    public static void DefaultPodSpec(JsonObject spec)
    {
        JsonAccess.SetIfEmpty(spec, "dnsPolicy", "ClusterFirst");
        JsonAccess.SetIfEmpty(spec, "restartPolicy", "Always");
        JsonAccess.SetIfMissing(spec, "securityContext", new JsonObject());
        JsonAccess.SetIfMissing(spec, "terminationGracePeriodSeconds", 30);
        JsonAccess.SetIfEmpty(spec, "schedulerName", "default-scheduler");
        foreach (var list in new[] { "containers", "initContainers", "ephemeralContainers" })
        {
            foreach (var (_, container) in JsonAccess.Items(spec, list))
            {
                DefaultContainer(container);
            }
        }

        foreach (var (_, volume) in JsonAccess.Items(spec, "volumes"))
        {
            DefaultVolume(volume);
        }

        RoundUpResourceList(JsonAccess.Obj(spec, "overhead"));
        if (JsonAccess.Obj(spec, "resources") is { } podResources)
        {
            RoundUpResourceList(JsonAccess.Obj(podResources, "limits"));
            RoundUpResourceList(JsonAccess.Obj(podResources, "requests"));
        }
    }

    /// <summary>Container defaults: pull policy from the image tag, termination message, port protocols, resources, probes.</summary>
    public static void DefaultContainer(JsonObject container)
    {
        if (JsonAccess.Str(container, "imagePullPolicy").Length == 0)
        {
            container["imagePullPolicy"] = PullPolicyFor(JsonAccess.Str(container, "image"));
        }

        JsonAccess.SetIfEmpty(container, "terminationMessagePath", "/dev/termination-log");
        JsonAccess.SetIfEmpty(container, "terminationMessagePolicy", "File");
        foreach (var (_, port) in JsonAccess.Items(container, "ports"))
        {
            JsonAccess.SetIfEmpty(port, "protocol", "TCP");
        }

        foreach (var (_, env) in JsonAccess.Items(container, "env"))
        {
            if (JsonAccess.Obj(JsonAccess.Obj(env, "valueFrom"), "fieldRef") is { } fieldRef)
            {
                JsonAccess.SetIfEmpty(fieldRef, "apiVersion", "v1");
            }
        }

        var resources = JsonAccess.Ensure(container, "resources");
        RoundUpResourceList(JsonAccess.Obj(resources, "limits"));
        RoundUpResourceList(JsonAccess.Obj(resources, "requests"));
        foreach (var probe in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
        {
            DefaultProbe(JsonAccess.Obj(container, probe));
        }

        if (JsonAccess.Obj(container, "lifecycle") is { } lifecycle)
        {
            DefaultHandler(JsonAccess.Obj(lifecycle, "postStart"));
            DefaultHandler(JsonAccess.Obj(lifecycle, "preStop"));
        }
    }

    /// <summary>
    /// <c>Always</c> when the image has the tag <c>latest</c> or neither tag nor digest, else <c>IfNotPresent</c>.
    /// </summary>
    public static string PullPolicyFor(string image)
    {
        var reference = image;
        var at = reference.IndexOf('@');
        var hasDigest = at >= 0;
        if (hasDigest)
        {
            reference = reference[..at];
        }

        var lastSlash = reference.LastIndexOf('/');
        var colon = reference.LastIndexOf(':');
        var tag = colon > lastSlash ? reference[(colon + 1)..] : "";
        var repository = colon > lastSlash ? reference[..colon] : reference;
        var validName = repository.Length > 0 && !repository[(repository.IndexOf('/') + 1)..].Any(char.IsUpper);
        if (!validName)
        {
            return "IfNotPresent";
        }

        if (tag.Length == 0 && !hasDigest)
        {
            tag = "latest";
        }

        return tag == "latest" ? "Always" : "IfNotPresent";
    }

    /// <summary>Probe defaults: timeout 1 s, period 10 s, success 1, failure 3; httpGet path "/" and scheme HTTP.</summary>
    public static void DefaultProbe(JsonObject? probe)
    {
        if (probe is null)
        {
            return;
        }

        SetIfZero(probe, "timeoutSeconds", 1);
        SetIfZero(probe, "periodSeconds", 10);
        SetIfZero(probe, "successThreshold", 1);
        SetIfZero(probe, "failureThreshold", 3);
        DefaultHandler(probe);
        if (JsonAccess.Obj(probe, "grpc") is { } grpc)
        {
            JsonAccess.SetIfMissing(grpc, "service", "");
        }
    }

    /// <summary>Volume defaults: emptyDir when no source, file modes, hostPath type, token expiry, claim template modes.</summary>
    public static void DefaultVolume(JsonObject volume)
    {
        var hasSource = volume.Any(p => p.Key != "name" && p.Value is JsonObject);
        if (!hasSource)
        {
            volume["emptyDir"] = new JsonObject();
        }

        foreach (var kind in new[] { "secret", "configMap", "downwardAPI", "projected" })
        {
            if (JsonAccess.Obj(volume, kind) is { } source)
            {
                JsonAccess.SetIfMissing(source, "defaultMode", DefaultVolumeMode);
            }
        }

        if (JsonAccess.Obj(volume, "hostPath") is { } hostPath)
        {
            JsonAccess.SetIfMissing(hostPath, "type", "");
        }

        foreach (var (_, item) in JsonAccess.Items(JsonAccess.Obj(volume, "downwardAPI"), "items"))
        {
            DefaultFieldRef(item);
        }

        foreach (var (_, source) in JsonAccess.Items(JsonAccess.Obj(volume, "projected"), "sources"))
        {
            if (JsonAccess.Obj(source, "serviceAccountToken") is { } token)
            {
                JsonAccess.SetIfMissing(token, "expirationSeconds", 3600);
            }

            foreach (var (_, item) in JsonAccess.Items(JsonAccess.Obj(source, "downwardAPI"), "items"))
            {
                DefaultFieldRef(item);
            }
        }

        if (JsonAccess.Obj(volume, "iscsi") is { } iscsi)
        {
            JsonAccess.SetIfEmpty(iscsi, "iscsiInterface", "default");
        }

        if (JsonAccess.Obj(volume, "rbd") is { } rbd)
        {
            JsonAccess.SetIfEmpty(rbd, "pool", "rbd");
            JsonAccess.SetIfEmpty(rbd, "user", "admin");
            JsonAccess.SetIfEmpty(rbd, "keyring", "/etc/ceph/keyring");
        }

        if (JsonAccess.Obj(JsonAccess.Obj(volume, "ephemeral"), "volumeClaimTemplate") is { } claimTemplate)
        {
            DefaultClaimSpec(JsonAccess.Ensure(claimTemplate, "spec"));
        }
    }

    /// <summary>PersistentVolumeClaim spec defaults: volumeMode Filesystem, resources rounded.</summary>
    public static void DefaultClaimSpec(JsonObject spec)
    {
        JsonAccess.SetIfMissing(spec, "volumeMode", "Filesystem");
        if (JsonAccess.Obj(spec, "resources") is { } resources)
        {
            RoundUpResourceList(JsonAccess.Obj(resources, "limits"));
            RoundUpResourceList(JsonAccess.Obj(resources, "requests"));
        }
    }

    /// <summary>
    /// Rounds every quantity of a resource list up to milli units and writes it in canonical form
    /// (<c>0.5</c> → <c>500m</c>, <c>1024Mi</c> → <c>1Gi</c>), as upstream stores them. Unparsable values are left alone.
    /// </summary>
    public static void RoundUpResourceList(JsonObject? list)
    {
        if (list is null)
        {
            return;
        }

        foreach (var key in list.Select(p => p.Key).ToList())
        {
            if (ResourceQuantity.TryParse(list[key], out var q, out _))
            {
                list[key] = q.RoundUp(-3).ToString();
            }
        }
    }

    private static void DefaultHandler(JsonObject? handler)
    {
        if (JsonAccess.Obj(handler, "httpGet") is { } httpGet)
        {
            JsonAccess.SetIfEmpty(httpGet, "path", "/");
            JsonAccess.SetIfEmpty(httpGet, "scheme", "HTTP");
        }
    }

    private static void DefaultFieldRef(JsonObject item)
    {
        if (JsonAccess.Obj(item, "fieldRef") is { } fieldRef)
        {
            JsonAccess.SetIfEmpty(fieldRef, "apiVersion", "v1");
        }
    }

    private static void SetIfZero(JsonObject obj, string key, int value)
    {
        if ((JsonAccess.Long(obj, key) ?? 0) == 0)
        {
            obj[key] = value;
        }
    }
}
