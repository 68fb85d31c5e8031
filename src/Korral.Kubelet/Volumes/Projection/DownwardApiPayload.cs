using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Volumes.Plugins;

namespace Korral.Kubelet.Volumes.Projection;

/// <summary>
/// The files of downwardAPI items: pod metadata through fieldRef (name, namespace, uid, labels, annotations, one label
/// or annotation), container resources through resourceFieldRef, limits defaulting to the node's allocatable.
/// </summary>
internal static partial class DownwardApiPayload
{
    private static readonly string[] DefaultedResources = ["cpu", "memory", "ephemeral-storage"];

    /// <exception cref="VolumeSetupError">Some items could not be resolved (all their messages).</exception>
    public static Dictionary<string, FileProjection> Collect(IList<DownwardAPIVolumeFile>? items, Pod pod, VolumeNodeContext node, int defaultMode)
    {
        var payload = new Dictionary<string, FileProjection>(StringComparer.Ordinal);
        var errors = new List<string>();
        foreach (var item in items ?? [])
        {
            try
            {
                var value = item.FieldRef is { } field ? FieldValue(pod, field.FieldPath ?? "")
                    : item.ResourceFieldRef is { } resource ? ResourceValue(pod, resource, node)
                    : throw new VolumeSetupError($"downwardAPI item {item.Path} has neither fieldRef nor resourceFieldRef");
                payload[item.Path ?? ""] = new FileProjection(Encoding.UTF8.GetBytes(value), item.Mode ?? defaultMode);
            }
            catch (VolumeSetupError e)
            {
                errors.Add(e.Message);
            }
        }

        return errors.Count == 0 ? payload : throw new VolumeSetupError(Aggregate(errors));
    }

    /// <summary>Several errors as Go's error aggregates print them.</summary>
    public static string Aggregate(IReadOnlyList<string> errors) => errors.Count == 1 ? errors[0] : "[" + string.Join(", ", errors) + "]";

    private static string FieldValue(Pod pod, string fieldPath)
    {
        var meta = pod.Metadata;
        if (Subscript().Match(fieldPath) is { Success: true } m)
        {
            var map = m.Groups[1].Value == "labels" ? meta?.Labels : meta?.Annotations;
            return map is not null && map.TryGetValue(m.Groups[2].Value, out var v) ? v : "";
        }

        return fieldPath switch
        {
            "metadata.name" => meta?.Name ?? "",
            "metadata.namespace" => meta?.Namespace ?? "",
            "metadata.uid" => meta?.Uid ?? "",
            "metadata.labels" => GoQuote.FormatMap(meta?.Labels),
            "metadata.annotations" => GoQuote.FormatMap(meta?.Annotations),
            _ => throw new VolumeSetupError($"unsupported fieldPath: {fieldPath}"),
        };
    }

    private static string ResourceValue(Pod pod, ResourceFieldSelector selector, VolumeNodeContext node)
    {
        var name = selector.ContainerName ?? "";
        var container = (pod.Spec?.Containers ?? []).Concat(pod.Spec?.InitContainers ?? []).FirstOrDefault(c => c.Name == name)
            ?? throw new VolumeSetupError($"container {name} not found");
        var limits = new Dictionary<string, Quantity>(container.Resources?.Limits ?? new Dictionary<string, Quantity>(), StringComparer.Ordinal);
        foreach (var resource in DefaultedResources)
        {
            if (!limits.ContainsKey(resource) && node.Allocatable.TryGetValue(resource, out var allocatable))
            {
                limits[resource] = allocatable;
            }
        }

        var requests = container.Resources?.Requests ?? new Dictionary<string, Quantity>();
        var divisor = selector.Divisor is { IsZero: false } d ? d : Quantity.Parse("1");
        var field = selector.Resource ?? "";
        var (map, resourceName) = field.StartsWith("limits.", StringComparison.Ordinal) ? (limits, field["limits.".Length..])
            : field.StartsWith("requests.", StringComparison.Ordinal) ? ((IDictionary<string, Quantity>)requests, field["requests.".Length..])
            : (null, "");
        if (map is null || !(resourceName is "cpu" or "memory" or "ephemeral-storage" || resourceName.StartsWith("hugepages-", StringComparison.Ordinal)))
        {
            throw new VolumeSetupError($"unsupported container resource : {field}");
        }

        var value = map.TryGetValue(resourceName, out var q) ? q : Quantity.Zero;
        var result = resourceName == "cpu"
            ? Math.Ceiling((double)value.MilliValue() / divisor.MilliValue())
            : Math.Ceiling((double)value.Value() / divisor.Value());
        return ((long)result).ToString(CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^metadata\.(labels|annotations)\['(.*)'\]$")]
    private static partial Regex Subscript();
}
