using Korral.Api.Models.CoreV1;

namespace Korral.Kubelet.Status;

/// <summary>The pod phase from its container statuses, by upstream's rules.</summary>
internal static class PodPhaseCalculator
{
    /// <summary>
    /// Pending while an init container has not succeeded or a container waits for its first start; Running while one runs
    /// and all have started; once all stopped: Succeeded or Failed if the pod is terminal or its restartPolicy lets them
    /// stay stopped, else Running (they are about to restart). A failed init container fails a Never pod at once.
    /// </summary>
    public static string Compute(Pod pod, IReadOnlyList<ContainerStatus> statuses, bool podIsTerminal)
    {
        var spec = pod.Spec;
        var restartPolicy = spec?.RestartPolicy ?? "Always";
        var byName = new Dictionary<string, ContainerStatus>(StringComparer.Ordinal);
        foreach (var status in statuses)
        {
            if (status.Name is { } name)
            {
                byName.TryAdd(name, status);
            }
        }

        var pendingInit = 0;
        var failedInit = 0;
        foreach (var container in spec?.InitContainers ?? [])
        {
            if (!byName.TryGetValue(container.Name ?? "", out var status))
            {
                pendingInit++;
                continue;
            }

            var state = status.State;
            if (state?.Running is not null)
            {
                pendingInit++;
            }
            else if (state?.Terminated is { } terminated)
            {
                failedInit += terminated.ExitCode is 0 ? 0 : 1;
            }
            else if (state?.Waiting is not null && status.LastState?.Terminated is { } last)
            {
                failedInit += last.ExitCode is 0 ? 0 : 1;
            }
            else
            {
                pendingInit++;
            }
        }

        int unknown = 0, running = 0, waiting = 0, stopped = 0, succeeded = 0;
        foreach (var container in spec?.Containers ?? [])
        {
            if (!byName.TryGetValue(container.Name ?? "", out var status))
            {
                unknown++;
                continue;
            }

            var state = status.State;
            if (state?.Running is not null)
            {
                running++;
            }
            else if (state?.Terminated is { } terminated)
            {
                stopped++;
                succeeded += terminated.ExitCode is 0 ? 1 : 0;
            }
            else if (state?.Waiting is not null)
            {
                // A container waiting to restart has run before: it counts as stopped, not as never started.
                if (status.LastState?.Terminated is not null)
                {
                    stopped++;
                }
                else
                {
                    waiting++;
                }
            }
            else
            {
                unknown++;
            }
        }

        if (failedInit > 0 && restartPolicy == "Never")
        {
            return StatusReasons.Failed;
        }

        if (pendingInit > 0 || waiting > 0)
        {
            return StatusReasons.Pending;
        }

        if (running > 0 && unknown == 0)
        {
            return StatusReasons.Running;
        }

        if (running == 0 && stopped > 0 && unknown == 0)
        {
            if (podIsTerminal)
            {
                return stopped == succeeded ? StatusReasons.Succeeded : StatusReasons.Failed;
            }

            return restartPolicy switch
            {
                "Always" => StatusReasons.Running,
                _ when stopped == succeeded => StatusReasons.Succeeded,
                "Never" => StatusReasons.Failed,
                _ => StatusReasons.Running,
            };
        }

        return StatusReasons.Pending;
    }
}
