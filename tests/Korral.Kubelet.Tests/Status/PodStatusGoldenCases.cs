using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Kubelet.Pods;
using Korral.Kubelet.Status;
using static Korral.Kubelet.Tests.Status.StatusFixtures;

namespace Korral.Kubelet.Tests.Status;

/// <summary>One golden case: the inputs of <see cref="PodStatusBuilder.Build"/>.</summary>
internal sealed record PodStatusGoldenCase(Pod Pod, PodRuntimeState State, PodStatusContext Context);

/// <summary>
/// The scenarios of the golden tests, each a pod at one moment of its life. Where the status before matters (restarts,
/// completion, termination) the pod's API status is itself built from the earlier runtime state, as the kubelet would
/// have written it.
/// </summary>
internal static class PodStatusGoldenCases
{
    private static readonly DateTimeOffset Started = Scheduled.AddSeconds(3);
    private static readonly DateTimeOffset FirstSync = Scheduled.AddSeconds(5);

    private static readonly Dictionary<string, Func<PodStatusGoldenCase>> Cases = new(StringComparer.Ordinal)
    {
        ["pending-container-creating"] = () => new(Pod([Nginx()]), State(null), Context()),
        ["image-pull-backoff"] = ImagePullBackOff,
        ["running-1-of-1"] = () => new(Pod([Nginx()]), State(Sandbox(), Running("web", 0, Started)), Context()),
        ["running-2-of-2"] = () => new(
            Pod([Nginx(), Busybox("log")]),
            State(Sandbox(), Running("web", 0, Started), Running("log", 0, Started.AddSeconds(1), busybox: true)),
            Context()),
        ["one-of-two-ready"] = () => new(
            Pod([Nginx(readinessProbe: true), Busybox("log")]),
            State(Sandbox(), Running("web", 0, Started), Running("log", 0, Started.AddSeconds(1), busybox: true)),
            Context(ready: null)),
        ["init-running"] = () => new(
            Pod([Nginx()], init: [Busybox("init-db")]),
            State(Sandbox(), Running("init-db", 0, Started, busybox: true)),
            Context()),
        ["init-failed-never"] = () => new(
            Pod([Nginx()], init: [Busybox("init-db")], restartPolicy: "Never"),
            State(Sandbox(), Exited("init-db", 0, Started, Started.AddSeconds(2), 1, "Error", busybox: true)),
            Context()),
        ["init-failed-on-failure"] = () => new(
            Pod([Nginx()], init: [Busybox("init-db")], restartPolicy: "OnFailure"),
            State(
                Sandbox(),
                Waiting("init-db", "CrashLoopBackOff", "back-off 10s restarting failed container=init-db pod=web_default(" + PodUid + ")"),
                Exited("init-db", 0, Started, Started.AddSeconds(2), 1, "Error", busybox: true)),
            Context()),
        ["crash-loop-back-off"] = () => new(
            Pod([Nginx()]),
            State(
                Sandbox(),
                Waiting("web", "CrashLoopBackOff", "back-off 40s restarting failed container=web pod=web_default(" + PodUid + ")"),
                Exited("web", 2, Scheduled.AddSeconds(30), Scheduled.AddSeconds(31), 1, "Error"),
                Exited("web", 3, Scheduled.AddSeconds(75), Scheduled.AddSeconds(76), 1, "Error")),
            Context()),
        ["oom-killed"] = () => new(
            Pod([Nginx()]),
            State(
                Sandbox(),
                Exited("web", 0, Started, Scheduled.AddSeconds(60), 137, "OOMKilled"),
                Running("web", 1, Scheduled.AddSeconds(61))),
            Context()),
        ["job-completed"] = JobCompleted,
        ["restart-keeps-times"] = RestartKeepsTimes,
        ["terminating-running"] = TerminatingRunning,
        ["terminating-stopped-success"] = () => TerminatingStopped(0, "Completed"),
        ["terminating-stopped-killed"] = () => TerminatingStopped(137, "Error"),
        ["host-network"] = HostNetwork,
        ["readiness-gate-missing"] = ReadinessGateMissing,
    };

    public static IEnumerable<string> Names => Cases.Keys;

    public static PodStatusGoldenCase Get(string name) => Cases[name]();

    private static IReadOnlyDictionary<string, ContainerWaiting> Waiting(string name, string reason, string message) =>
        new Dictionary<string, ContainerWaiting> { [name] = new(reason, message) };

    private static PodStatusGoldenCase ImagePullBackOff()
    {
        var container = Nginx();
        container.Image = "nginx:doesnotexist";
        return new(
            Pod([container]),
            State(Sandbox(), Waiting("web", "ImagePullBackOff", "Back-off pulling image \"nginx:doesnotexist\"")),
            Context());
    }

    /// <summary>A Job's pod whose only container exited 0; the kubelet already stopped its sandbox.</summary>
    private static PodStatusGoldenCase JobCompleted()
    {
        var pod = Pod([Busybox("job")], restartPolicy: "Never");
        pod.Status = PodStatusBuilder.Build(pod, State(Sandbox(), Running("job", 0, Started, busybox: true)), Context(now: FirstSync));
        var finished = Scheduled.AddSeconds(40);
        return new(
            pod,
            State(Sandbox(ready: false), Exited("job", 0, Started, finished, 0, "Completed", busybox: true)),
            Context(now: finished.AddSeconds(1)));
    }

    /// <summary>A container that failed and was restarted: the conditions that are back where they were keep their times.</summary>
    private static PodStatusGoldenCase RestartKeepsTimes()
    {
        var pod = Pod([Nginx()]);
        pod.Status = PodStatusBuilder.Build(pod, State(Sandbox(), Running("web", 0, Started)), Context(now: FirstSync));
        return new(
            pod,
            State(
                Sandbox(),
                Exited("web", 0, Started, Scheduled.AddSeconds(120), 1, "Error", "config file missing"),
                Running("web", 1, Scheduled.AddSeconds(121))),
            Context());
    }

    /// <summary>Deleted, grace period running, containers not stopped yet: nothing changes but waiting reasons.</summary>
    private static PodStatusGoldenCase TerminatingRunning()
    {
        var pod = Pod([Nginx()]);
        pod.Status = PodStatusBuilder.Build(pod, State(Sandbox(), Running("web", 0, Started)), Context(now: FirstSync));
        pod.Metadata!.DeletionTimestamp = Now.AddSeconds(30);
        pod.Metadata.DeletionGracePeriodSeconds = 30;
        return new(
            pod,
            State(Sandbox(), Waiting("web", "CrashLoopBackOff", "ignored while deleting"), Running("web", 0, Started)),
            Context());
    }

    /// <summary>Deleted and stopped for good: terminal whatever the restartPolicy, the outcome from the exit code.</summary>
    private static PodStatusGoldenCase TerminatingStopped(int exitCode, string reason)
    {
        var pod = Pod([Nginx()]);
        pod.Status = PodStatusBuilder.Build(pod, State(Sandbox(), Running("web", 0, Started)), Context(now: FirstSync));
        pod.Metadata!.DeletionTimestamp = Now.AddSeconds(30);
        pod.Metadata.DeletionGracePeriodSeconds = 30;
        return new(
            pod,
            State(Sandbox(ready: false), Exited("web", 0, Started, Now.AddSeconds(-1), exitCode, reason)),
            Context(podIsTerminal: true));
    }

    private static PodStatusGoldenCase HostNetwork()
    {
        var pod = Pod([Nginx()]);
        pod.Spec!.HostNetwork = true;
        var sandbox = Sandbox(ip: "");
        sandbox.Linux.Namespaces.Options.Network = Korral.Kubelet.Cri.V1.NamespaceMode.Node;
        return new(pod, State(sandbox, Running("web", 0, Started)), Context());
    }

    /// <summary>All containers ready, but the load balancer has not added its condition yet; another condition is kept.</summary>
    private static PodStatusGoldenCase ReadinessGateMissing()
    {
        var pod = Pod([Nginx()]);
        pod.Spec!.ReadinessGates = [new PodReadinessGate { ConditionType = "example.com/lb-ready" }];
        pod.Status!.Conditions!.Add(new PodCondition
        {
            Type = "example.com/audit",
            Status = "True",
            Reason = "Audited",
            LastTransitionTime = Scheduled.AddSeconds(2),
        });
        return new(pod, State(Sandbox(), Running("web", 0, Started)), Context());
    }
}
