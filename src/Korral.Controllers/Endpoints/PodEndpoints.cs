using Korral.Api.Models.CoreV1;
using Korral.Client.Informers;
using Korral.Api.Selectors;

namespace Korral.Controllers.ServiceEndpoints;

/// <summary>
/// What the Endpoints and EndpointSlice controllers both ask of a pod: is it ready, does it belong in a service's
/// endpoints at all, which port a service port reaches on it, and how it is referenced.
/// </summary>
public static class PodEndpoints
{
    /// <summary>The pod's Ready condition is True.</summary>
    public static bool IsReady(Pod pod) =>
        pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    /// <summary>The pod is being deleted.</summary>
    public static bool IsTerminating(Pod pod) => pod.Metadata?.DeletionTimestamp is not null;

    /// <summary>
    /// Upstream's rule: a pod without an IP, or that has finished (phase Succeeded or Failed), never backs a service; a
    /// terminating pod only when <paramref name="includeTerminating"/>.
    /// </summary>
    public static bool ShouldBeInEndpoints(Pod pod, bool includeTerminating)
    {
        if (string.IsNullOrEmpty(pod.Status?.PodIP))
        {
            return false;
        }

        if (pod.Status?.Phase is "Succeeded" or "Failed")
        {
            return false;
        }

        return includeTerminating || !IsTerminating(pod);
    }

    /// <summary>
    /// The port <paramref name="servicePort"/> reaches on <paramref name="pod"/>: a named targetPort is looked up in the pod's
    /// container ports (same name and protocol); a number is taken as it is; null when the name is not found.
    /// </summary>
    public static int? FindPort(Pod pod, ServicePort servicePort)
    {
        var target = servicePort.TargetPort;
        if (target is null)
        {
            return servicePort.Port;
        }

        if (target.IsInt)
        {
            return target.IntValue;
        }

        var protocol = servicePort.Protocol ?? "TCP";
        foreach (var container in pod.Spec?.Containers ?? [])
        {
            foreach (var port in container.Ports ?? [])
            {
                if (port.Name == target.StringValue && (port.Protocol ?? "TCP") == protocol)
                {
                    return port.ContainerPortValue;
                }
            }
        }

        return null;
    }

    /// <summary>The reference an endpoint keeps to its pod.</summary>
    public static ObjectReference TargetRef(Pod pod) => new()
    {
        Kind = "Pod",
        Namespace = pod.Metadata?.Namespace,
        Name = pod.Metadata?.Name,
        Uid = pod.Metadata?.Uid,
    };

    /// <summary>The pod's hostname when it asked for one under this service (spec.hostname with spec.subdomain = service name).</summary>
    public static string? Hostname(Pod pod, Service service) =>
        !string.IsNullOrEmpty(pod.Spec?.Hostname) && pod.Spec?.Subdomain == service.Metadata?.Name ? pod.Spec!.Hostname : null;

    /// <summary>The service's selector; null when it has none (such services' endpoints are managed by someone else).</summary>
    public static LabelSelector? Selector(Service service) =>
        service.Spec?.Selector is { Count: > 0 } selector ? LabelSelector.FromSet(selector.AsReadOnly()) : null;

    /// <summary>The services (with selectors) in the pod's namespace that select it.</summary>
    public static IEnumerable<Service> ServicesSelecting(Lister<Service> services, Pod pod)
    {
        var ns = pod.Metadata?.Namespace;
        if (ns is null)
        {
            return [];
        }

        var labels = pod.Metadata?.Labels is { } l ? l.AsReadOnly() : new Dictionary<string, string>().AsReadOnly();
        return services.List(ns).Where(s => Selector(s) is { } selector && selector.Matches(labels));
    }

    /// <summary>Whether a change from <paramref name="old"/> to <paramref name="current"/> can change any endpoints.</summary>
    public static bool EndpointRelevantChange(Pod old, Pod current) =>
        old.Status?.PodIP != current.Status?.PodIP
        || IsReady(old) != IsReady(current)
        || IsTerminating(old) != IsTerminating(current)
        || old.Status?.Phase != current.Status?.Phase
        || old.Spec?.NodeName != current.Spec?.NodeName
        || old.Spec?.Hostname != current.Spec?.Hostname
        || old.Spec?.Subdomain != current.Spec?.Subdomain
        || !LabelsEqual(old.Metadata?.Labels, current.Metadata?.Labels);

    /// <summary>Two label maps hold the same pairs (null and empty alike), whatever their order.</summary>
    public static bool SameLabels(IDictionary<string, string>? a, IDictionary<string, string>? b) => LabelsEqual(a, b);

    private static bool LabelsEqual(IDictionary<string, string>? a, IDictionary<string, string>? b)
    {
        if ((a?.Count ?? 0) != (b?.Count ?? 0))
        {
            return false;
        }

        return a is null || a.All(kv => b!.TryGetValue(kv.Key, out var v) && v == kv.Value);
    }
}
