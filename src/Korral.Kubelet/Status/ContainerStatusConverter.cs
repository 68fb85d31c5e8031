using System.Globalization;
using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Pods;
using static Korral.Kubelet.Status.StatusValues;
using CriContainerState = Korral.Kubelet.Cri.V1.ContainerState;
using CriContainerStatus = Korral.Kubelet.Cri.V1.ContainerStatus;

namespace Korral.Kubelet.Status;

/// <summary>
/// Turns the runtime's containers of one pod into API container statuses the way the kubelet does: every spec container
/// starts from a default waiting state (or its previous status), the newest attempt in the runtime gives the state and
/// the one before it the last state, and a container the worker is about to restart shows the worker's waiting reason.
/// </summary>
internal sealed class ContainerStatusConverter
{
    public const string RestartCountAnnotation = "io.kubernetes.container.restartCount";
    public const string ContainerNameLabel = "io.kubernetes.container.name";

    private readonly Pod _pod;
    private readonly PodRuntimeState _state;
    private readonly string _runtimeName;
    private readonly Dictionary<string, List<CriContainerStatus>> _attempts = new(StringComparer.Ordinal);

    public ContainerStatusConverter(Pod pod, PodRuntimeState state, string runtimeName)
    {
        _pod = pod;
        _state = state;
        _runtimeName = runtimeName;
        foreach (var container in state.Containers)
        {
            if (NameOf(container) is { Length: > 0 } name)
            {
                if (!_attempts.TryGetValue(name, out var list))
                {
                    _attempts[name] = list = [];
                }

                list.Add(container);
            }
        }

        foreach (var list in _attempts.Values)
        {
            // Newest first: creation time, then attempt number for runtimes that stamp the same time.
            list.Sort((a, b) => b.CreatedAt != a.CreatedAt
                ? b.CreatedAt.CompareTo(a.CreatedAt)
                : (b.Metadata?.Attempt ?? 0).CompareTo(a.Metadata?.Attempt ?? 0));
        }
    }

    /// <summary>The newest runtime attempt of a container, if the runtime still has one.</summary>
    public CriContainerStatus? Newest(string? name) =>
        name is not null && _attempts.TryGetValue(name, out var list) ? list[0] : null;

    /// <summary>Statuses of <paramref name="containers"/>: init containers in spec order, others by name (as upstream
    /// sorts them).</summary>
    public List<ContainerStatus> Convert(IList<Container>? containers, IList<ContainerStatus>? previous, bool isInit)
    {
        var specs = containers?.Where(c => !string.IsNullOrEmpty(c.Name)).ToList() ?? [];
        var hasInitContainers = _pod.Spec?.InitContainers is { Count: > 0 };
        var defaultReason = hasInitContainers ? StatusReasons.PodInitializing : StatusReasons.ContainerCreating;
        var old = new Dictionary<string, ContainerStatus>(StringComparer.Ordinal);
        foreach (var status in previous ?? [])
        {
            if (status.Name is { } name)
            {
                old[name] = status;
            }
        }

        var statuses = new Dictionary<string, ContainerStatus>(StringComparer.Ordinal);
        foreach (var container in specs)
        {
            statuses[container.Name!] = Initial(container, defaultReason, old.GetValueOrDefault(container.Name!));
        }

        foreach (var container in specs.Where(c => !_attempts.ContainsKey(c.Name!)))
        {
            MarkVanished(statuses[container.Name!], old.GetValueOrDefault(container.Name!), defaultReason);
        }

        foreach (var container in specs)
        {
            if (!_attempts.TryGetValue(container.Name!, out var attempts))
            {
                continue;
            }

            var oldStatus = old.GetValueOrDefault(container.Name!);
            var status = FromRuntime(attempts[0], container, oldStatus);
            if (attempts.Count > 1)
            {
                status.LastState = FromRuntime(attempts[1], container, oldStatus).State;
            }
            else if (oldStatus is not null)
            {
                KeepCollectedAttempt(status, oldStatus);
            }

            statuses[container.Name!] = status;
        }

        foreach (var container in specs)
        {
            ApplyWaitingReason(container, statuses[container.Name!], isInit);
        }

        return isInit
            ? [.. specs.Select(c => statuses[c.Name!])]
            : [.. statuses.Values.OrderBy(s => s.Name, StringComparer.Ordinal)];
    }

    /// <summary>Whether the worker will start this container (again) on its next sync.</summary>
    public bool ShouldRestart(Container container)
    {
        if (_pod.Metadata?.DeletionTimestamp is not null)
        {
            return false;
        }

        var newest = Newest(container.Name);
        if (newest is null)
        {
            return true;
        }

        switch (newest.State)
        {
            case CriContainerState.ContainerRunning:
                return false;
            case CriContainerState.ContainerUnknown or CriContainerState.ContainerCreated:
                return true;
        }

        return (_pod.Spec?.RestartPolicy ?? "Always") switch
        {
            "Never" => false,
            "OnFailure" => newest.ExitCode != 0,
            _ => true,
        };
    }

    private static ContainerStatus Initial(Container container, string defaultReason, ContainerStatus? old)
    {
        // A terminated container stays as it was last seen even when the runtime has forgotten it.
        if (old?.State?.Terminated is not null)
        {
            var kept = Clone(old);
            kept.LastState ??= new ContainerState();
            kept.Ready ??= false;
            kept.RestartCount ??= 0;
            kept.ImageID ??= "";
            return kept;
        }

        return new ContainerStatus
        {
            Name = container.Name,
            Image = container.Image,
            ImageID = "",
            State = Waiting(defaultReason),
            LastState = old?.LastState is { } last ? Clone(last) : new ContainerState(),
            Ready = false,
            RestartCount = old?.RestartCount ?? 0,
        };
    }

    /// <summary>
    /// A container the kubelet last saw running that the runtime no longer has: it stopped, we just cannot say how. A
    /// termination of unknown outcome keeps the pod from falling back to Pending; it counts as a restart unless the pod is
    /// being deleted.
    /// </summary>
    private void MarkVanished(ContainerStatus status, ContainerStatus? old, string defaultReason)
    {
        if (old?.State is null || old.State.Terminated is not null || old.State.Running is null)
        {
            return;
        }

        if (status.State?.Waiting?.Reason != defaultReason || status.LastState?.Terminated is not null)
        {
            return;
        }

        status.LastState = new ContainerState
        {
            Terminated = new ContainerStateTerminated
            {
                Reason = StatusReasons.ContainerStatusUnknown,
                Message = StatusReasons.VanishedWhenDeleted,
                ExitCode = StatusReasons.VanishedExitCode,
            },
        };
        if (_pod.Metadata?.DeletionTimestamp is null)
        {
            status.RestartCount = (status.RestartCount ?? 0) + 1;
        }
    }

    /// <summary>
    /// The image as the pod asked for it, normalised (docker.io/library/nginx:latest): containerd 1.6 reports one of the
    /// image's tags, which for an image with several tags may not be the one in the spec. The runtime's name is kept when
    /// the spec names another repository (or cannot be parsed).
    /// </summary>
    private static string? ImageName(string? runtimeImage, string? specImage)
    {
        if (specImage is null || !Images.Mirror.ImageReference.TryParse(specImage, out var spec, out _))
        {
            return string.IsNullOrEmpty(runtimeImage) ? specImage : runtimeImage;
        }

        if (string.IsNullOrEmpty(runtimeImage) || !Images.Mirror.ImageReference.TryParse(runtimeImage, out var reported, out _)
            || reported.Repository == spec.Repository)
        {
            return spec.ToString();
        }

        return runtimeImage;
    }

    private ContainerStatus FromRuntime(CriContainerStatus runtime, Container container, ContainerStatus? old)
    {
        var id = $"{_runtimeName}://{runtime.Id}";
        var status = new ContainerStatus
        {
            Name = container.Name,
            RestartCount = RestartCountOf(runtime),
            Image = ImageName(runtime.Image?.Image, container.Image),
            ImageID = runtime.ImageRef ?? "",
            ContainerID = id,
            Ready = false,
            LastState = new ContainerState(),
        };
        switch (runtime.State)
        {
            case CriContainerState.ContainerRunning:
                status.State = new ContainerState { Running = new ContainerStateRunning { StartedAt = FromUnixNanos(runtime.StartedAt) } };
                break;
            case CriContainerState.ContainerExited:
                status.State = new ContainerState
                {
                    Terminated = new ContainerStateTerminated
                    {
                        ExitCode = runtime.ExitCode,
                        Reason = TerminatedReason(runtime),
                        Message = string.IsNullOrEmpty(runtime.Message) ? null : runtime.Message,
                        StartedAt = FromUnixNanos(runtime.StartedAt),
                        FinishedAt = FromUnixNanos(runtime.FinishedAt),
                        ContainerID = id,
                    },
                };
                break;
            case CriContainerState.ContainerUnknown when old?.State?.Running is not null:
                // It ran and the runtime lost track of it: report a failed run rather than a container that never ran,
                // so that a run-once pod is not started twice.
                status.State = new ContainerState
                {
                    Terminated = new ContainerStateTerminated
                    {
                        Reason = StatusReasons.ContainerStatusUnknown,
                        Message = StatusReasons.VanishedWhenTerminated,
                        ExitCode = StatusReasons.VanishedExitCode,
                    },
                };
                status.RestartCount = (old.RestartCount ?? 0) + 1;
                break;
            default:
                // Created but not started, or unknown: waiting to run.
                status.State = new ContainerState { Waiting = new ContainerStateWaiting() };
                break;
        }

        return status;
    }

    /// <summary>
    /// The runtime normally keeps the previous attempt of each container until the next one exits, which gives the last
    /// state; when it has already removed it, the previous status still describes that attempt.
    /// </summary>
    private static void KeepCollectedAttempt(ContainerStatus status, ContainerStatus old)
    {
        if (status.RestartCount is not > 0)
        {
            return;
        }

        if (old.ContainerID != status.ContainerID && old.State?.Terminated is not null)
        {
            status.LastState = Clone(old.State);
        }
        else if (old.LastState?.Terminated is not null)
        {
            status.LastState = Clone(old.LastState);
        }
    }

    private void ApplyWaitingReason(Container container, ContainerStatus status, bool isInit)
    {
        // An init container that succeeded is never run again.
        if (isInit && Newest(container.Name) is { State: CriContainerState.ContainerExited, ExitCode: 0 })
        {
            return;
        }

        if (!ShouldRestart(container) || !_state.Waiting.TryGetValue(container.Name!, out var waiting))
        {
            return;
        }

        if (status.State?.Terminated is not null)
        {
            status.LastState = status.State;
        }

        status.State = Waiting(waiting.Reason, string.IsNullOrEmpty(waiting.Message) ? null : waiting.Message);
    }

    private static string TerminatedReason(CriContainerStatus runtime) =>
        !string.IsNullOrEmpty(runtime.Reason) ? runtime.Reason
        : runtime.ExitCode == 0 ? StatusReasons.Completed
        : StatusReasons.Error;

    private static int RestartCountOf(CriContainerStatus runtime)
    {
        foreach (var map in new[] { runtime.Annotations, runtime.Labels })
        {
            if (map.TryGetValue(RestartCountAnnotation, out var text)
                && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                return count;
            }
        }

        return (int)(runtime.Metadata?.Attempt ?? 0);
    }

    private static string? NameOf(CriContainerStatus runtime) =>
        runtime.Metadata?.Name is { Length: > 0 } name ? name
        : runtime.Labels.TryGetValue(ContainerNameLabel, out var label) ? label
        : null;
}
