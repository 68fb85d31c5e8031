using System.Text.Json.Nodes;
using Korral.Api.Validation;
using Korral.Api.Validation.Quantities;

namespace Korral.Api.Defaulting;

/// <summary>Pods: scheme defaults, and on create a fresh status (phase Pending, the QoS class).</summary>
public sealed class PodDefaults : IObjectDefaulter
{
    public void Default(JsonObject obj) => PodSpecDefaults.DefaultPod(obj);

    public void PrepareForCreate(JsonObject obj)
    {
        obj["status"] = new JsonObject
        {
            ["phase"] = "Pending",
            ["qosClass"] = QosClass(obj),
        };
    }

    /// <summary>
    /// Upstream's QoS class: <c>Guaranteed</c> when every container limits cpu and memory and requests equal limits,
    /// <c>BestEffort</c> with no cpu/memory requests or limits at all, <c>Burstable</c> otherwise.
    /// </summary>
    public static string QosClass(JsonObject pod)
    {
        var spec = JsonAccess.Obj(pod, "spec");
        var requests = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal);
        var limits = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal);
        var guaranteed = true;
        foreach (var (_, container) in JsonAccess.Items(spec, "containers").Concat(JsonAccess.Items(spec, "initContainers")))
        {
            var resources = JsonAccess.Obj(container, "resources");
            Accumulate(JsonAccess.Obj(resources, "requests"), requests, null);
            var found = new HashSet<string>(StringComparer.Ordinal);
            Accumulate(JsonAccess.Obj(resources, "limits"), limits, found);
            if (!found.Contains("cpu") || !found.Contains("memory"))
            {
                guaranteed = false;
            }
        }

        if (requests.Count == 0 && limits.Count == 0)
        {
            return "BestEffort";
        }

        if (guaranteed && requests.All(r => limits.TryGetValue(r.Key, out var l) && l == r.Value) && requests.Count == limits.Count)
        {
            return "Guaranteed";
        }

        return "Burstable";
    }

    private static void Accumulate(JsonObject? list, Dictionary<string, ResourceQuantity> totals, HashSet<string>? found)
    {
        foreach (var (name, value) in list ?? [])
        {
            if (name is not ("cpu" or "memory") || !ResourceQuantity.TryParse(value, out var q, out _) || q.Sign <= 0)
            {
                continue;
            }

            found?.Add(name);
            totals[name] = totals.TryGetValue(name, out var sum) ? sum + q : q;
        }
    }
}
