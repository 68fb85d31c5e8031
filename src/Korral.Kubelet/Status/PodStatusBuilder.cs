using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Korral.Api.Defaulting;
using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Cri.V1;
using Korral.Kubelet.Pods;
using static Korral.Kubelet.Status.StatusValues;
using ContainerStatus = Korral.Api.Models.CoreV1.ContainerStatus;
using PodIP = Korral.Api.Models.CoreV1.PodIP;

namespace Korral.Kubelet.Status;

/// <summary>
/// Computes a pod's API status from what the runtime and the pod worker know, as the upstream kubelet does
/// (generateAPIPodStatus plus the status manager's bookkeeping): phase, conditions with stable transition times, container
/// and init container statuses, IPs and start time. Pure: no I/O, no clock, the inputs are never modified.
/// </summary>
public static class PodStatusBuilder
{
    /// <summary>Upstream's budget for all termination messages of one pod, shared evenly by its containers.</summary>
    public const int TerminationMessageBytesPerPod = 12 * 1024;

    /// <summary>
    /// The status the kubelet would write for <paramref name="pod"/> now. <c>pod.Status</c> is the status the API server
    /// has; <see cref="PodStatusContext.Previous"/>, when given, is the kubelet's own last computation and wins for what it
    /// remembers (transition times, previous container states, start time). A pod whose phase is Succeeded or Failed
    /// keeps it.
    /// </summary>
    public static PodStatus Build(Pod pod, PodRuntimeState state, PodStatusContext context)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(context);

        var api = pod.Status ?? new PodStatus();
        var old = context.Previous ?? api;
        var now = Seconds(context.Now);
        var converter = new ContainerStatusConverter(pod, state, context.RuntimeName);
        var status = new PodStatus
        {
            QosClass = api.QosClass ?? old.QosClass ?? PodDefaults.QosClass((JsonObject)KubeJson.ToNode(pod)!),
            NominatedNodeName = api.NominatedNodeName,
            EphemeralContainerStatuses = api.EphemeralContainerStatuses is { } ephemeral ? Clone(ephemeral) : null,
            ContainerStatuses = converter.Convert(pod.Spec?.Containers, old.ContainerStatuses, isInit: false),
        };
        var init = converter.Convert(pod.Spec?.InitContainers, old.InitContainerStatuses, isInit: true);
        status.InitContainerStatuses = init.Count > 0 ? init : null;
        if (status.ContainerStatuses.Count == 0)
        {
            status.ContainerStatuses = null;
        }

        SetPhase(pod, status, api, old, context.PodIsTerminal);
        SetProbeResults(pod, status, context);
        status.Conditions = Conditions(pod, state.Sandbox, status, api, old, now);
        SetIPs(pod, state.Sandbox, status, old, context.HostIPs);
        status.StartTime = Seconds(old.StartTime ?? api.StartTime) ?? now;
        TruncateTerminationMessages(pod, status);
        return status;
    }

    private static void SetPhase(Pod pod, PodStatus status, PodStatus api, PodStatus old, bool podIsTerminal)
    {
        var phase = PodPhaseCalculator.Compute(pod, [.. status.ContainerStatuses ?? [], .. status.InitContainerStatuses ?? []], podIsTerminal);

        // What the status cache or the API server already made terminal stays terminal.
        if (!StatusReasons.IsTerminal(phase))
        {
            if (StatusReasons.IsTerminal(old.Phase))
            {
                phase = old.Phase!;
            }
            else if (StatusReasons.IsTerminal(api.Phase))
            {
                phase = api.Phase!;
            }
        }

        // The reason and message (Evicted, DeadlineExceeded...) belong to the phase they came with.
        if (phase == old.Phase)
        {
            status.Reason = string.IsNullOrEmpty(old.Reason) ? api.Reason : old.Reason;
            status.Message = string.IsNullOrEmpty(old.Message) ? api.Message : old.Message;
        }

        // A terminal phase on the server can never change again.
        if (StatusReasons.IsTerminal(api.Phase) && phase != api.Phase)
        {
            phase = api.Phase!;
        }

        status.Phase = phase;
    }

    /// <summary>What the probe manager contributes: started (startup probe) and ready (readiness probe) per container.</summary>
    private static void SetProbeResults(Pod pod, PodStatus status, PodStatusContext context)
    {
        foreach (var container in status.ContainerStatuses ?? [])
        {
            var spec = pod.Spec?.Containers?.FirstOrDefault(c => c.Name == container.Name);
            var running = container.State?.Running is not null;
            var started = running && (spec?.StartupProbe is null || context.StartedContainers?.Contains(container.Name!) == true);
            container.Started = started;
            if (started)
            {
                container.Ready = spec?.ReadinessProbe is null || context.ReadyContainers?.Contains(container.Name!) == true;
            }
        }

        foreach (var container in status.InitContainerStatuses ?? [])
        {
            container.Started = container.State?.Running is not null;
            if (container.State?.Terminated is { ExitCode: 0 })
            {
                container.Ready = true;
            }
        }
    }

    private static List<PodCondition> Conditions(Pod pod, PodSandboxStatus? sandbox, PodStatus status, PodStatus api, PodStatus old, DateTimeOffset now)
    {
        // Conditions others own (readiness gates, DisruptionTarget...) come first, in the order the server has them.
        var conditions = (api.Conditions ?? []).Where(c => !StatusReasons.OwnedByKubelet(c.Type)).Select(Clone).ToList();
        if (old.Conditions?.FirstOrDefault(c => c.Type == StatusReasons.DisruptionTarget) is { } disruption)
        {
            var index = conditions.FindIndex(c => c.Type == StatusReasons.DisruptionTarget);
            if (index >= 0)
            {
                conditions[index] = Clone(disruption);
            }
            else
            {
                conditions.Add(Clone(disruption));
            }
        }

        List<ContainerStatus> all = [.. status.InitContainerStatuses ?? [], .. status.ContainerStatuses ?? []];
        var phase = status.Phase!;
        conditions.Add(PodConditionGenerator.ReadyToStartContainers(pod, sandbox));
        conditions.Add(PodConditionGenerator.Initialized(pod, all, phase));
        conditions.Add(PodConditionGenerator.Ready(pod, conditions, all, phase));
        conditions.Add(PodConditionGenerator.ContainersReady(pod, all, phase));
        conditions.Add(new PodCondition { Type = StatusReasons.PodScheduled, Status = StatusReasons.True });

        foreach (var condition in conditions.Where(c => StatusReasons.OwnedByKubelet(c.Type) || StatusReasons.SharedByKubelet(c.Type)))
        {
            var before = old.Conditions?.FirstOrDefault(c => c.Type == condition.Type);
            condition.LastTransitionTime = before is not null && before.Status == condition.Status
                ? Seconds(before.LastTransitionTime ?? now)
                : now;
        }

        return conditions;
    }

    /// <summary>
    /// Pod IPs come from the newest sandbox while it is ready; once no sandbox is, the last known IPs stay (a finished
    /// pod keeps its IP). Host network pods have the node's IPs. hostIP is the node's primary IP.
    /// </summary>
    private static void SetIPs(Pod pod, PodSandboxStatus? sandbox, PodStatus status, PodStatus old, IReadOnlyList<string> hostIPs)
    {
        var hosts = hostIPs.Select(Parse).OfType<IPAddress>().ToList();
        status.HostIP = hosts.Count > 0 ? hosts[0].ToString() : old.HostIP;

        List<string> podIPs;
        if (pod.Spec?.HostNetwork == true)
        {
            podIPs = [.. hosts.Take(2).Select(ip => ip.ToString())];
            if (podIPs.Count == 2 && hosts[0].AddressFamily == hosts[1].AddressFamily)
            {
                podIPs.RemoveAt(1);
            }
        }
        else if (sandbox is { State: PodSandboxState.SandboxReady })
        {
            podIPs = sandbox.Network is { } network
                ? ByFamily([network.Ip, .. network.AdditionalIps.Select(ip => ip.Ip)], hosts.FirstOrDefault())
                : [];
        }
        else
        {
            podIPs = [.. (old.PodIPs ?? []).Select(ip => ip.Ip).OfType<string>()];
            if (podIPs.Count == 0 && !string.IsNullOrEmpty(old.PodIP))
            {
                podIPs.Add(old.PodIP);
            }
        }

        status.PodIP = podIPs.Count > 0 ? podIPs[0] : null;
        status.PodIPs = podIPs.Count > 0 ? [.. podIPs.Select(ip => new PodIP { Ip = ip })] : null;
    }

    /// <summary>The first IP of the node's primary family, then the first of the other family (upstream's sortPodIPs).</summary>
    private static List<string> ByFamily(IEnumerable<string?> candidates, IPAddress? primaryHost)
    {
        var parsed = candidates.Select(Parse).OfType<IPAddress>().ToList();
        var primary = primaryHost?.AddressFamily ?? AddressFamily.InterNetwork;
        var secondary = primary == AddressFamily.InterNetwork ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        List<string> ips = [];
        foreach (var family in new[] { primary, secondary })
        {
            if (parsed.FirstOrDefault(ip => ip.AddressFamily == family) is { } ip)
            {
                ips.Add(ip.ToString());
            }
        }

        return ips;
    }

    private static IPAddress? Parse(string? text) => IPAddress.TryParse(text, out var ip) ? ip : null;

    /// <summary>Termination messages are cut to an even share of the pod's budget, in UTF-8 bytes.</summary>
    private static void TruncateTerminationMessages(Pod pod, PodStatus status)
    {
        var containers = (pod.Spec?.Containers?.Count ?? 0) + (pod.Spec?.InitContainers?.Count ?? 0);
        var limit = containers > 0 ? TerminationMessageBytesPerPod / containers : TerminationMessageBytesPerPod;
        foreach (var container in (status.ContainerStatuses ?? []).Concat(status.InitContainerStatuses ?? []))
        {
            foreach (var terminated in new[] { container.State?.Terminated, container.LastState?.Terminated })
            {
                if (terminated?.Message is { } message && Encoding.UTF8.GetByteCount(message) > limit)
                {
                    // A cut inside a character becomes U+FFFD, as the JSON encoder upstream renders the cut bytes.
                    terminated.Message = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(message), 0, limit);
                }
            }
        }
    }
}
