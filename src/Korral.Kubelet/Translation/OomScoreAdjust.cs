using Korral.Api.Models.CoreV1;

namespace Korral.Kubelet.Translation;

/// <summary>
/// A container's oom_score_adj by its pod's QoS (upstream's GetContainerOOMScoreAdjust): node-critical and Guaranteed
/// -997, BestEffort 1000, Burstable <c>1000 - 1000 × memory request / node memory</c> kept within [3, 999].
/// </summary>
/// <remarks>
/// containerd runs with restrict_oom_score_adj on this machine (substrate.md §3), so negative values are clamped to
/// containerd's own score; the value is still sent as upstream sends it.
/// </remarks>
public static class OomScoreAdjust
{
    public const int Guaranteed = -997;
    public const int BestEffort = 1000;

    /// <summary>The priority at and above which a pod is critical (system-cluster-critical and system-node-critical).</summary>
    private const int SystemCriticalPriority = 2_000_000_000;

    public static long ForContainer(Pod pod, Container container, long nodeMemoryCapacity)
    {
        if (pod.Spec?.PriorityClassName == "system-node-critical" && pod.Spec.Priority >= SystemCriticalPriority)
        {
            return Guaranteed;
        }

        switch (PodQos.Of(pod))
        {
            case PodQos.Guaranteed:
                return Guaranteed;
            case PodQos.BestEffort:
                return BestEffort;
        }

        var memoryRequest = container.Resources?.Requests is { } requests && requests.TryGetValue("memory", out var memory) ? memory.Value() : 0;
        var score = nodeMemoryCapacity > 0 ? 1000 - (1000 * memoryRequest / nodeMemoryCapacity) : 1000;

        // A Guaranteed container using all the node's memory scores about 3: Burstable ones must score higher, and
        // lower than BestEffort ones.
        if (score < 1000 + Guaranteed)
        {
            return 1000 + Guaranteed;
        }

        return score == BestEffort ? score - 1 : score;
    }
}
