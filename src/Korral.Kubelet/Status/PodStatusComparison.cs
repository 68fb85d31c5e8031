using System.Text.Json.Nodes;
using Korral.Api.Models;
using Korral.Api.Models.CoreV1;

namespace Korral.Kubelet.Status;

/// <summary>Whether a computed status says anything the API server does not already have.</summary>
public static class PodStatusComparison
{
    /// <summary>True when <paramref name="computed"/> differs from <c>pod.Status</c> in something worth a write: see
    /// <see cref="SameAsKubeletWouldWrite"/>.</summary>
    public static bool NeedsUpdate(Pod pod, PodStatus computed)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return !SameAsKubeletWouldWrite(pod, pod.Status ?? new PodStatus(), computed);
    }

    /// <summary>
    /// Upstream's equality for statuses the kubelet writes: the kubelet's conditions compare by type, status, reason and
    /// message only (their transition and probe times are bookkeeping), conditions others own are ignored, and everything
    /// else compares at the API's second precision with container statuses in a fixed order.
    /// </summary>
    public static bool SameAsKubeletWouldWrite(Pod pod, PodStatus current, PodStatus computed)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(computed);

        var before = KubeletConditions(current);
        var after = KubeletConditions(computed);
        if (before.Count != after.Count)
        {
            return false;
        }

        foreach (var (type, condition) in after)
        {
            if (!before.TryGetValue(type, out var old)
                || old.Status != condition.Status
                || (old.Reason ?? "") != (condition.Reason ?? "")
                || (old.Message ?? "") != (condition.Message ?? ""))
            {
                return false;
            }
        }

        return JsonNode.DeepEquals(Comparable(pod, current), Comparable(pod, computed));
    }

    private static Dictionary<string, PodCondition> KubeletConditions(PodStatus status)
    {
        var conditions = new Dictionary<string, PodCondition>(StringComparer.Ordinal);
        foreach (var condition in status.Conditions ?? [])
        {
            if (condition.Type is { } type && (StatusReasons.OwnedByKubelet(type) || StatusReasons.SharedByKubelet(type)))
            {
                conditions[type] = condition;
            }
        }

        return conditions;
    }

    /// <summary>The status as JSON without conditions, with container statuses in a fixed order and empty values dropped,
    /// so that "absent" and "empty" compare equal the way they serialize upstream.</summary>
    private static JsonObject Comparable(Pod pod, PodStatus status)
    {
        var node = (JsonObject)KubeJson.ToNode(status)!;
        node.Remove("conditions");
        if (node["containerStatuses"] is JsonArray regular)
        {
            node["containerStatuses"] = Sorted(regular, s => s["name"]?.GetValue<string>() ?? "");
        }

        if (node["initContainerStatuses"] is JsonArray init)
        {
            var order = (pod.Spec?.InitContainers ?? []).Select(c => c.Name ?? "").ToList();
            node["initContainerStatuses"] = Sorted(init, s => order.IndexOf(s["name"]?.GetValue<string>() ?? "").ToString("D9", System.Globalization.CultureInfo.InvariantCulture));
        }

        DropEmpty(node);
        return node;
    }

    private static JsonArray Sorted(JsonArray array, Func<JsonNode, string> key) =>
        [.. array.OfType<JsonNode>().OrderBy(key, StringComparer.Ordinal).Select(n => n.DeepClone())];

    private static void DropEmpty(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    DropEmpty(value);
                    if (value is null or JsonArray { Count: 0 } || (key == "lastState" && value is JsonObject { Count: 0 }))
                    {
                        obj.Remove(key);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    DropEmpty(item);
                }

                break;
        }
    }
}
