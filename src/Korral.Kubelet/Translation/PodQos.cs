using Korral.Api.Models;
using Korral.Api.Models.CoreV1;

namespace Korral.Kubelet.Translation;

/// <summary>
/// A pod's QoS class as the kubelet reads it: status.qosClass when the API server set it, otherwise computed from the
/// cpu and memory requests and limits of all containers and init containers (upstream's ComputePodQOS).
/// </summary>
public static class PodQos
{
    public const string Guaranteed = "Guaranteed";
    public const string Burstable = "Burstable";
    public const string BestEffort = "BestEffort";

    private static readonly string[] QosResources = ["cpu", "memory"];

    public static string Of(Pod pod) =>
        pod.Status?.QosClass is { Length: > 0 } qos ? qos : Compute(pod);

    public static string Compute(Pod pod)
    {
        var requests = new Dictionary<string, Quantity>(StringComparer.Ordinal);
        var limits = new Dictionary<string, Quantity>(StringComparer.Ordinal);
        var guaranteed = true;
        foreach (var container in (pod.Spec?.Containers ?? []).Concat(pod.Spec?.InitContainers ?? []))
        {
            Accumulate(container.Resources?.Requests, requests);
            var found = Accumulate(container.Resources?.Limits, limits);
            if (found < QosResources.Length)
            {
                guaranteed = false;
            }
        }

        if (requests.Count == 0 && limits.Count == 0)
        {
            return BestEffort;
        }

        guaranteed &= requests.All(r => limits.TryGetValue(r.Key, out var limit) && limit.CompareTo(r.Value) == 0);
        return guaranteed && requests.Count == limits.Count ? Guaranteed : Burstable;
    }

    /// <summary>Adds the positive cpu/memory quantities of <paramref name="list"/> to <paramref name="totals"/>; returns how many there were.</summary>
    private static int Accumulate(IDictionary<string, Quantity>? list, Dictionary<string, Quantity> totals)
    {
        var found = 0;
        foreach (var name in QosResources)
        {
            if (list is null || !list.TryGetValue(name, out var quantity) || quantity.Sign <= 0)
            {
                continue;
            }

            found++;
            totals[name] = totals.TryGetValue(name, out var sum) ? sum.Add(quantity) : quantity;
        }

        return found;
    }
}
