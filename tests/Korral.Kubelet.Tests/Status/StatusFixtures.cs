using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Kubelet.Cri.V1;
using Korral.Kubelet.Pods;
using Korral.Kubelet.Status;
using ApiContainerStatus = Korral.Api.Models.CoreV1.ContainerStatus;
using CriContainerStatus = Korral.Kubelet.Cri.V1.ContainerStatus;
using Container = Korral.Api.Models.CoreV1.Container;

namespace Korral.Kubelet.Tests.Status;

/// <summary>Pods, runtime states and contexts for the status tests, at fixed times.</summary>
internal static class StatusFixtures
{
    public const string PodUid = "6f1c2d1e-5a0b-4c55-9d8e-0b1f6a2c3d4e";
    public const string NginxImage = "docker.io/library/nginx:latest";
    public const string NginxRef = "docker.io/library/nginx@sha256:5f5a1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b";
    public const string BusyboxImage = "docker.io/library/busybox:1.36";
    public const string BusyboxRef = "docker.io/library/busybox@sha256:0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";

    /// <summary>When the scheduler bound the pod.</summary>
    public static readonly DateTimeOffset Scheduled = new(2025, 1, 1, 10, 0, 0, TimeSpan.Zero);

    /// <summary>When the status is computed, unless a case says otherwise.</summary>
    public static readonly DateTimeOffset Now = new(2025, 1, 1, 10, 5, 0, TimeSpan.Zero);

    public static Container Nginx(string name = "web", bool readinessProbe = false, bool startupProbe = false) => new()
    {
        Name = name,
        Image = "nginx",
        ReadinessProbe = readinessProbe ? new Probe { HttpGet = new HTTPGetAction { Path = "/", Port = Korral.Api.Models.IntOrString.FromInt(80) } } : null,
        StartupProbe = startupProbe ? new Probe { HttpGet = new HTTPGetAction { Path = "/", Port = Korral.Api.Models.IntOrString.FromInt(80) } } : null,
    };

    public static Container Busybox(string name) => new() { Name = name, Image = "busybox:1.36", Command = ["sh", "-c", "true"] };

    /// <summary>A pod as the API server has it right after scheduling: Pending, PodScheduled True.</summary>
    public static Pod Pod(IEnumerable<Container> containers, IEnumerable<Container>? init = null, string restartPolicy = "Always") => new()
    {
        Metadata = new ObjectMeta { Name = "web", Namespace = "default", Uid = PodUid },
        Spec = new PodSpec
        {
            NodeName = "node-a",
            RestartPolicy = restartPolicy,
            Containers = [.. containers],
            InitContainers = init is null ? null : [.. init],
        },
        Status = new PodStatus
        {
            Phase = "Pending",
            QosClass = "BestEffort",
            Conditions = [new PodCondition { Type = "PodScheduled", Status = "True", LastTransitionTime = Scheduled }],
        },
    };

    public static PodStatusContext Context(
        IReadOnlySet<string>? ready = null,
        bool podIsTerminal = false,
        PodStatus? previous = null,
        DateTimeOffset? now = null) => new()
        {
            HostIPs = ["192.0.2.10"],
            Now = now ?? Now,
            ReadyContainers = ready,
            PodIsTerminal = podIsTerminal,
            Previous = previous,
        };

    public static PodSandboxStatus Sandbox(bool ready = true, string ip = "10.42.0.7") => new()
    {
        Id = "5b0e8d6c1f2a",
        Metadata = new PodSandboxMetadata { Name = "web", Namespace = "default", Uid = PodUid, Attempt = 0 },
        State = ready ? PodSandboxState.SandboxReady : PodSandboxState.SandboxNotready,
        CreatedAt = Nanos(Scheduled.AddSeconds(1)),
        Network = new PodSandboxNetworkStatus { Ip = ip },
        Linux = new LinuxPodSandboxStatus { Namespaces = new Korral.Kubelet.Cri.V1.Namespace { Options = new NamespaceOption { Network = NamespaceMode.Pod } } },
    };

    public static CriContainerStatus Running(string name, uint attempt, DateTimeOffset startedAt, bool busybox = false) =>
        RuntimeContainer(name, attempt, Korral.Kubelet.Cri.V1.ContainerState.ContainerRunning, startedAt.AddSeconds(-1), startedAt, null, 0, "", busybox);

    public static CriContainerStatus Created(string name, uint attempt, DateTimeOffset createdAt, bool busybox = false) =>
        RuntimeContainer(name, attempt, Korral.Kubelet.Cri.V1.ContainerState.ContainerCreated, createdAt, null, null, 0, "", busybox);

    public static CriContainerStatus Exited(
        string name, uint attempt, DateTimeOffset startedAt, DateTimeOffset finishedAt, int exitCode, string reason, string message = "", bool busybox = false)
    {
        var status = RuntimeContainer(name, attempt, Korral.Kubelet.Cri.V1.ContainerState.ContainerExited, startedAt.AddSeconds(-1), startedAt, finishedAt, exitCode, reason, busybox);
        status.Message = message;
        return status;
    }

    public static PodRuntimeState State(PodSandboxStatus? sandbox, params CriContainerStatus[] containers) =>
        new(sandbox, containers, new Dictionary<string, ContainerWaiting>());

    public static PodRuntimeState State(PodSandboxStatus? sandbox, IReadOnlyDictionary<string, ContainerWaiting> waiting, params CriContainerStatus[] containers) =>
        new(sandbox, containers, waiting);

    public static ApiContainerStatus StatusOf(PodStatus status, string name) =>
        (status.ContainerStatuses ?? []).Concat(status.InitContainerStatuses ?? []).Single(s => s.Name == name);

    public static PodCondition ConditionOf(PodStatus status, string type) => status.Conditions!.Single(c => c.Type == type);

    public static long Nanos(DateTimeOffset t) => (t - DateTimeOffset.UnixEpoch).Ticks * 100;

    private static CriContainerStatus RuntimeContainer(
        string name, uint attempt, Korral.Kubelet.Cri.V1.ContainerState state, DateTimeOffset createdAt, DateTimeOffset? startedAt, DateTimeOffset? finishedAt,
        int exitCode, string reason, bool busybox)
    {
        var status = new CriContainerStatus
        {
            Id = $"{name}{attempt}".PadRight(12, '0') + "c0ffee",
            Metadata = new ContainerMetadata { Name = name, Attempt = attempt },
            State = state,
            CreatedAt = Nanos(createdAt),
            StartedAt = startedAt is { } s ? Nanos(s) : 0,
            FinishedAt = finishedAt is { } f ? Nanos(f) : 0,
            ExitCode = exitCode,
            Reason = reason,
            Image = new ImageSpec { Image = busybox ? BusyboxImage : NginxImage },
            ImageRef = busybox ? BusyboxRef : NginxRef,
        };
        status.Labels["io.kubernetes.container.name"] = name;
        status.Labels["io.kubernetes.pod.uid"] = PodUid;
        status.Annotations["io.kubernetes.container.restartCount"] = attempt.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return status;
    }
}
