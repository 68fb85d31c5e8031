using Korral.Api.Models.CoreV1;

namespace Korral.Kubelet.Probes;

/// <summary>
/// How the pod worker kills a container whose liveness or startup probe failed, as upstream's kubelet does: the Killing
/// event's message ("Container app failed liveness probe, will be restarted" — without the restart clause when the
/// pod's restartPolicy is Never) and the grace period (the pod's deletion grace period while it is being deleted, else
/// the probe's own terminationGracePeriodSeconds when set, else the pod's terminationGracePeriodSeconds).
/// </summary>
public static class ProbeKill
{
    /// <summary>Upstream's grace period when the pod sets none.</summary>
    public static readonly TimeSpan DefaultGracePeriod = TimeSpan.FromSeconds(30);

    public static string Message(Pod pod, Container container, ProbeType failed)
    {
        var message = $"Container {container.Name} failed {(failed == ProbeType.Startup ? "startup" : "liveness")} probe";
        return pod.Spec?.RestartPolicy == "Never" ? message : message + ", will be restarted";
    }

    public static TimeSpan GracePeriod(Pod pod, Container container, ProbeType failed)
    {
        if (pod.Metadata?.DeletionGracePeriodSeconds is { } deleting)
        {
            return TimeSpan.FromSeconds(deleting);
        }

        var probe = failed == ProbeType.Startup ? container.StartupProbe : container.LivenessProbe;
        if (probe?.TerminationGracePeriodSeconds is { } seconds)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return pod.Spec?.TerminationGracePeriodSeconds is { } podSeconds ? TimeSpan.FromSeconds(podSeconds) : DefaultGracePeriod;
    }
}
