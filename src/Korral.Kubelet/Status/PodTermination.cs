using Korral.Api.Models.CoreV1;

namespace Korral.Kubelet.Status;

/// <summary>
/// The final touch on the status of a pod whose containers the kubelet has stopped for good (upstream's TerminatePod): no
/// container may still look alive, and the phase must be terminal so that the pod can be deleted.
/// </summary>
public static class PodTermination
{
    /// <summary>
    /// A copy of <paramref name="status"/> where every container not known to have terminated is reported terminated with
    /// ContainerStatusUnknown (exit 137) — regular containers once the pod has initialized, init containers up to the last
    /// one that tried to start — and a Pending or Running phase becomes Failed. A pod that ends up terminal is never
    /// ready; the conditions that flip get <paramref name="now"/> as their transition time.
    /// </summary>
    public static PodStatus MarkTerminated(Pod pod, PodStatus status, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(status);

        var result = StatusValues.Clone(status);
        if (HasInitialized(pod, result))
        {
            foreach (var container in result.ContainerStatuses ?? [])
            {
                MarkUnknown(container);
            }
        }

        var init = result.InitContainerStatuses ?? [];
        var tried = TriedInitContainers(init);
        foreach (var container in init.Take(tried))
        {
            MarkUnknown(container);
        }

        if (!StatusReasons.IsTerminal(result.Phase))
        {
            result.Phase = StatusReasons.Failed;
        }

        var reason = result.Phase == StatusReasons.Succeeded ? StatusReasons.PodCompleted : StatusReasons.PodFailed;
        foreach (var condition in result.Conditions ?? [])
        {
            if (condition.Type is StatusReasons.Ready or StatusReasons.ContainersReady && condition.Status == StatusReasons.True)
            {
                condition.Status = StatusReasons.False;
                condition.Reason = reason;
                condition.Message = null;
                condition.LastTransitionTime = StatusValues.Seconds(now);
            }
        }

        return result;
    }

    private static void MarkUnknown(ContainerStatus container)
    {
        if (container.State?.Terminated is not null)
        {
            return;
        }

        container.State = new ContainerState
        {
            Terminated = new ContainerStateTerminated
            {
                Reason = StatusReasons.ContainerStatusUnknown,
                Message = StatusReasons.VanishedWhenTerminated,
                ExitCode = StatusReasons.VanishedExitCode,
            },
        };
    }

    /// <summary>Whether a regular container may have run: no init containers, a regular container that left waiting or
    /// ran before, or a last init container that succeeded.</summary>
    private static bool HasInitialized(Pod pod, PodStatus status)
    {
        if (pod.Spec?.InitContainers is not { Count: > 0 })
        {
            return true;
        }

        if ((status.ContainerStatuses ?? []).Any(c => c.LastState?.Terminated is not null || c.State?.Waiting is null))
        {
            return true;
        }

        return status.InitContainerStatuses is { Count: > 0 } init
            && (init[^1].LastState?.Terminated is { ExitCode: 0 } || init[^1].State?.Terminated is { ExitCode: 0 });
    }

    /// <summary>How many init containers, from the first, tried to start: all but the trailing ones still waiting for a
    /// first run, and at least the first.</summary>
    private static int TriedInitContainers(IList<ContainerStatus> init)
    {
        for (var i = init.Count - 1; i >= 0; i--)
        {
            if (init[i].State?.Waiting is null || init[i].LastState?.Terminated is not null)
            {
                return i + 1;
            }
        }

        return Math.Min(1, init.Count);
    }
}
