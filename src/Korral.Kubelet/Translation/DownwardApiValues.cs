using System.Globalization;
using System.Text;
using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Api.Validation.Rules;

namespace Korral.Kubelet.Translation;

/// <summary>
/// Values of the downward API as the kubelet computes them: pod fields (<c>fieldRef</c>) and container resources
/// (<c>resourceFieldRef</c>, divided by the divisor and rounded up). Errors are worded as upstream's.
/// </summary>
public static class DownwardApiValues
{
    private static readonly string[] DefaultedLimits = ["cpu", "memory", "ephemeral-storage"];

    /// <summary>
    /// The value of <paramref name="selector"/> for <paramref name="pod"/>: metadata.name/namespace/uid,
    /// metadata.labels/annotations (whole, as sorted <c>k="v"</c> lines, or one key with <c>['k']</c>), spec.nodeName,
    /// spec.serviceAccountName, status.hostIP(s) and status.podIP(s) (comma-separated lists).
    /// </summary>
    public static TranslationResult<string> PodField(
        ObjectFieldSelector selector, Pod pod, IReadOnlyList<string> podIPs, IReadOnlyList<string> hostIPs)
    {
        var version = string.IsNullOrEmpty(selector.ApiVersion) ? "v1" : selector.ApiVersion;
        var path = selector.FieldPath ?? "";
        if (version != "v1")
        {
            return TranslationResult<string>.Fail($"unsupported pod version: {version}");
        }

        var meta = pod.Metadata;
        if (SplitSubscript(path) is var (field, key))
        {
            switch (field)
            {
                case "metadata.annotations":
                    return KeyValue(path, NameRules.QualifiedName(key.ToLowerInvariant()), meta?.Annotations, key);
                case "metadata.labels":
                    return KeyValue(path, NameRules.QualifiedName(key), meta?.Labels, key);
                default:
                    return TranslationResult<string>.Fail($"field label does not support subscript: {path}");
            }
        }

        switch (path)
        {
            case "metadata.name":
                return TranslationResult<string>.Ok(meta?.Name ?? "");
            case "metadata.namespace":
                return TranslationResult<string>.Ok(meta?.Namespace ?? "");
            case "metadata.uid":
                return TranslationResult<string>.Ok(meta?.Uid ?? "");
            case "metadata.labels":
                return TranslationResult<string>.Ok(FormatMap(meta?.Labels));
            case "metadata.annotations":
                return TranslationResult<string>.Ok(FormatMap(meta?.Annotations));
            case "spec.nodeName":
            case "spec.host":
                return TranslationResult<string>.Ok(pod.Spec?.NodeName ?? "");
            case "spec.serviceAccountName":
                return TranslationResult<string>.Ok(pod.Spec?.ServiceAccountName ?? "");
            case "status.hostIP":
                return TranslationResult<string>.Ok(hostIPs.Count > 0 ? hostIPs[0] : pod.Status?.HostIP ?? "");
            case "status.hostIPs":
                return TranslationResult<string>.Ok(hostIPs.Count > 0 ? string.Join(',', hostIPs) : pod.Status?.HostIP ?? "");
            case "status.podIP":
                return TranslationResult<string>.Ok(podIPs.Count > 0 ? podIPs[0] : "");
            case "status.podIPs":
                return TranslationResult<string>.Ok(string.Join(',', podIPs));
            case "spec.restartPolicy" or "spec.schedulerName" or "status.phase":
                // Accepted by the field-label conversion but not by the kubelet's extraction, as upstream.
                return TranslationResult<string>.Fail($"unsupported fieldPath: {path}");
            default:
                return TranslationResult<string>.Fail($"field label not supported: {path}");
        }
    }

    /// <summary>
    /// The value of <paramref name="selector"/> for <paramref name="container"/> (or the container it names): limits
    /// and requests of cpu (in the divisor's units, from milli-units), memory, ephemeral-storage and hugepages-*, each
    /// rounded up. Limits a container does not set are the node's allocatable ones.
    /// </summary>
    public static TranslationResult<string> ContainerResource(
        ResourceFieldSelector selector, Pod pod, Container container, IReadOnlyDictionary<string, Quantity> nodeAllocatable)
    {
        var target = container;
        if (!string.IsNullOrEmpty(selector.ContainerName))
        {
            var found = (pod.Spec?.Containers ?? []).Concat(pod.Spec?.InitContainers ?? [])
                .FirstOrDefault(c => c.Name == selector.ContainerName);
            if (found is null)
            {
                return TranslationResult<string>.Fail($"container {selector.ContainerName} not found");
            }

            target = found;
        }

        var divisor = selector.Divisor is null || selector.Divisor.IsZero ? Quantity.Parse("1") : selector.Divisor;
        var resource = selector.Resource ?? "";
        var (list, name) = resource switch
        {
            _ when resource.StartsWith("limits.", StringComparison.Ordinal) => (Limits(target, nodeAllocatable), resource["limits.".Length..]),
            _ when resource.StartsWith("requests.", StringComparison.Ordinal) => (target.Resources?.Requests, resource["requests.".Length..]),
            _ => (null, ""),
        };

        var quantity = list is not null && list.TryGetValue(name, out var q) ? q : Quantity.Zero;
        return name switch
        {
            "cpu" => Ok(Math.Ceiling((double)quantity.MilliValue() / divisor.MilliValue())),
            "memory" or "ephemeral-storage" => Ok(Math.Ceiling((double)quantity.Value() / divisor.Value())),
            _ when name.StartsWith("hugepages-", StringComparison.Ordinal) => Ok(Math.Ceiling((double)quantity.Value() / divisor.Value())),
            _ => TranslationResult<string>.Fail($"unsupported container resource : {resource}"),
        };
    }

    /// <summary>Upstream's rendering of a whole label or annotation map: sorted <c>key="value"</c> lines (Go quoting).</summary>
    public static string FormatMap(IDictionary<string, string>? map)
    {
        if (map is null || map.Count == 0)
        {
            return "";
        }

        var output = new StringBuilder();
        foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (output.Length > 0)
            {
                output.Append('\n');
            }

            output.Append(key).Append('=').Append(GoQuote.Quote(value));
        }

        return output.ToString();
    }

    /// <summary>The container's limits with cpu, memory and ephemeral-storage taken from the node where unset or zero.</summary>
    private static IDictionary<string, Quantity> Limits(Container container, IReadOnlyDictionary<string, Quantity> nodeAllocatable)
    {
        var limits = new Dictionary<string, Quantity>(container.Resources?.Limits ?? new Dictionary<string, Quantity>(), StringComparer.Ordinal);
        foreach (var name in DefaultedLimits)
        {
            if ((!limits.TryGetValue(name, out var limit) || limit.IsZero) && nodeAllocatable.TryGetValue(name, out var allocatable))
            {
                limits[name] = allocatable;
            }
        }

        return limits;
    }

    private static TranslationResult<string> Ok(double value) =>
        TranslationResult<string>.Ok(((long)value).ToString(CultureInfo.InvariantCulture));

    private static TranslationResult<string> KeyValue(string path, IReadOnlyList<string> errors, IDictionary<string, string>? map, string key)
    {
        if (errors.Count > 0)
        {
            return TranslationResult<string>.Fail($"invalid key subscript in {path}: {string.Join(';', errors)}");
        }

        return TranslationResult<string>.Ok(map is not null && map.TryGetValue(key, out var value) ? value : "");
    }

    /// <summary>Splits <c>path['key']</c> into its path and key; null when the path has no subscript.</summary>
    private static (string Path, string Key)? SplitSubscript(string fieldPath)
    {
        if (!fieldPath.EndsWith("']", StringComparison.Ordinal))
        {
            return null;
        }

        var trimmed = fieldPath[..^2];
        var open = trimmed.IndexOf("['", StringComparison.Ordinal);
        return open <= 0 ? null : (trimmed[..open], trimmed[(open + 2)..]);
    }
}
