using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Cri.V1;
using ContainerStatus = Korral.Api.Models.CoreV1.ContainerStatus;

namespace Korral.Kubelet.Status;

/// <summary>The kubelet-owned pod conditions, with upstream's statuses, reasons and messages (times are set later).</summary>
internal static class PodConditionGenerator
{
    /// <summary>True when the newest sandbox is ready with its network set up, i.e. no new sandbox is needed.</summary>
    public static PodCondition ReadyToStartContainers(Pod pod, PodSandboxStatus? sandbox)
    {
        var hostNetwork = pod.Spec?.HostNetwork == true;
        var ready = sandbox is { State: PodSandboxState.SandboxReady }
            && NetworkNamespaceMatches(sandbox, hostNetwork)
            && (hostNetwork || sandbox.Network is null || !string.IsNullOrEmpty(sandbox.Network.Ip));
        return Condition(StatusReasons.PodReadyToStartContainers, ready);
    }

    public static PodCondition Initialized(Pod pod, IReadOnlyList<ContainerStatus> statuses, string phase)
    {
        var unknown = new List<string>();
        var incomplete = new List<string>();
        foreach (var container in pod.Spec?.InitContainers ?? [])
        {
            var status = Find(statuses, container.Name);
            if (status is null)
            {
                unknown.Add(container.Name ?? "");
            }
            else if (status.Ready != true)
            {
                incomplete.Add(container.Name ?? "");
            }
        }

        if (phase == StatusReasons.Succeeded && unknown.Count == 0)
        {
            return Condition(StatusReasons.Initialized, true, StatusReasons.PodCompleted);
        }

        // A regular container that has run proves initialization finished earlier.
        if (AnyRegularContainerStarted(pod, statuses))
        {
            return Condition(StatusReasons.Initialized, true);
        }

        var message = Messages(("containers with unknown status", unknown), ("containers with incomplete status", incomplete));
        return message is null
            ? Condition(StatusReasons.Initialized, true)
            : Condition(StatusReasons.Initialized, false, StatusReasons.ContainersNotInitialized, message);
    }

    public static PodCondition ContainersReady(Pod pod, IReadOnlyList<ContainerStatus> statuses, string phase)
    {
        var unknown = new List<string>();
        var unready = new List<string>();
        foreach (var container in pod.Spec?.Containers ?? [])
        {
            var status = Find(statuses, container.Name);
            if (status is null)
            {
                unknown.Add(container.Name ?? "");
            }
            else if (status.Ready != true)
            {
                unready.Add(container.Name ?? "");
            }
        }

        if (phase == StatusReasons.Succeeded && unknown.Count == 0)
        {
            return Condition(StatusReasons.ContainersReady, false, StatusReasons.PodCompleted);
        }

        // A failed pod's containers may still be on their way down: never ready.
        if (phase == StatusReasons.Failed)
        {
            return Condition(StatusReasons.ContainersReady, false, StatusReasons.PodFailed);
        }

        var message = Messages(("containers with unknown status", unknown), ("containers with unready status", unready));
        return message is null
            ? Condition(StatusReasons.ContainersReady, true)
            : Condition(StatusReasons.ContainersReady, false, StatusReasons.ContainersNotReady, message);
    }

    /// <summary>Ready: ContainersReady, then every readiness gate's condition (looked up in
    /// <paramref name="conditions"/>, which holds the conditions others set) True.</summary>
    public static PodCondition Ready(Pod pod, IReadOnlyList<PodCondition> conditions, IReadOnlyList<ContainerStatus> statuses, string phase)
    {
        var containersReady = ContainersReady(pod, statuses, phase);
        if (containersReady.Status != StatusReasons.True)
        {
            return new PodCondition
            {
                Type = StatusReasons.Ready,
                Status = containersReady.Status,
                Reason = containersReady.Reason,
                Message = containersReady.Message,
            };
        }

        var unready = new List<string>();
        foreach (var gate in pod.Spec?.ReadinessGates ?? [])
        {
            var condition = conditions.FirstOrDefault(c => c.Type == gate.ConditionType);
            if (condition is null)
            {
                unready.Add($"corresponding condition of pod readiness gate \"{gate.ConditionType}\" does not exist.");
            }
            else if (condition.Status != StatusReasons.True)
            {
                unready.Add($"the status of pod readiness gate \"{gate.ConditionType}\" is not \"True\", but {condition.Status}");
            }
        }

        return unready.Count == 0
            ? Condition(StatusReasons.Ready, true)
            : Condition(StatusReasons.Ready, false, StatusReasons.ReadinessGatesNotReady, string.Join(", ", unready));
    }

    public static bool AnyRegularContainerStarted(Pod pod, IReadOnlyList<ContainerStatus> statuses) =>
        (pod.Spec?.Containers ?? []).Any(c => Find(statuses, c.Name)?.State is { } state
            && (state.Running is not null || state.Terminated is not null));

    private static bool NetworkNamespaceMatches(PodSandboxStatus sandbox, bool hostNetwork)
    {
        // A runtime that does not report namespaces gets the benefit of the doubt.
        if (sandbox.Linux?.Namespaces?.Options is not { } options)
        {
            return true;
        }

        return options.Network == (hostNetwork ? NamespaceMode.Node : NamespaceMode.Pod);
    }

    private static ContainerStatus? Find(IReadOnlyList<ContainerStatus> statuses, string? name) =>
        statuses.FirstOrDefault(s => s.Name == name);

    /// <summary>"containers with unready status: [a b]" parts joined by ", ", or null when every list is empty.</summary>
    private static string? Messages(params (string Label, List<string> Names)[] parts)
    {
        var messages = parts.Where(p => p.Names.Count > 0).Select(p => $"{p.Label}: [{string.Join(' ', p.Names)}]").ToList();
        return messages.Count == 0 ? null : string.Join(", ", messages);
    }

    private static PodCondition Condition(string type, bool status, string? reason = null, string? message = null) =>
        new() { Type = type, Status = status ? StatusReasons.True : StatusReasons.False, Reason = reason, Message = message };
}
