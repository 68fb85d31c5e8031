using Korral.Api.Models.CoreV1;

namespace Korral.Controllers.Common;

/// <summary>Pod facts workload controllers read: active, ready, available.</summary>
public static class PodUtil
{
    /// <summary>Not terminated (Succeeded/Failed) and not being deleted.</summary>
    public static bool IsActive(Pod pod) =>
        pod.Status?.Phase is not ("Succeeded" or "Failed") && pod.Metadata?.DeletionTimestamp is null;

    public static PodCondition? ReadyCondition(Pod pod) => pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");

    public static bool IsReady(Pod pod) => ReadyCondition(pod)?.Status == "True";

    /// <summary>Ready for at least <paramref name="minReadySeconds"/> (from the Ready condition's lastTransitionTime).</summary>
    public static bool IsAvailable(Pod pod, int minReadySeconds, DateTimeOffset now)
    {
        var c = ReadyCondition(pod);
        if (c?.Status != "True")
        {
            return false;
        }

        if (minReadySeconds == 0)
        {
            return true;
        }

        return c.LastTransitionTime is { } t && t.AddSeconds(minReadySeconds) < now;
    }

    public static int MaxRestarts(Pod pod) => pod.Status?.ContainerStatuses?.Select(s => s.RestartCount ?? 0).DefaultIfEmpty(0).Max() ?? 0;
}
