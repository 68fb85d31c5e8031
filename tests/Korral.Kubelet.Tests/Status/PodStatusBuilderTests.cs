using System.Text;
using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Pods;
using Korral.Kubelet.Status;
using static Korral.Kubelet.Tests.Status.StatusFixtures;

namespace Korral.Kubelet.Tests.Status;

/// <summary>The rules of <see cref="PodStatusBuilder"/> one at a time, beside the whole-status golden cases.</summary>
public sealed class PodStatusBuilderTests
{
    private static readonly DateTimeOffset Started = Scheduled.AddSeconds(3);

    [Theory]
    [InlineData("Succeeded", null, "Succeeded")]
    [InlineData("Failed", null, "Failed")]
    [InlineData("Running", "Succeeded", "Succeeded")]
    [InlineData("Pending", "Failed", "Failed")]
    public void TerminalPhaseNeverGoesBack(string apiPhase, string? previousPhase, string expected)
    {
        var pod = Pod([Nginx()]);
        pod.Status!.Phase = apiPhase;
        var previous = previousPhase is null ? null : new PodStatus { Phase = previousPhase };

        var status = PodStatusBuilder.Build(pod, State(Sandbox(), Running("web", 0, Started)), Context(previous: previous));

        Assert.Equal(expected, status.Phase);
        Assert.Equal("False", ConditionOf(status, "Ready").Status);
    }

    [Fact]
    public void EvictionReasonStaysWithItsPhase()
    {
        var pod = Pod([Nginx()]);
        pod.Status!.Phase = "Failed";
        pod.Status.Reason = "Evicted";
        pod.Status.Message = "The node was low on resource: memory.";

        var status = PodStatusBuilder.Build(pod, State(Sandbox(ready: false), Exited("web", 0, Started, Now, 137, "Error")), Context());

        Assert.Equal(("Failed", "Evicted", "The node was low on resource: memory."), (status.Phase, status.Reason, status.Message));
    }

    [Theory]
    [InlineData("Always", "Running")]
    [InlineData("OnFailure", "Running")]
    [InlineData("Never", "Failed")]
    public void AllStoppedWithAFailureFollowsRestartPolicy(string restartPolicy, string expected)
    {
        var pod = Pod([Nginx(), Busybox("log")], restartPolicy: restartPolicy);
        var state = State(Sandbox(), Exited("web", 0, Started, Now, 0, "Completed"), Exited("log", 0, Started, Now, 2, "Error", busybox: true));

        Assert.Equal(expected, PodStatusBuilder.Build(pod, state, Context()).Phase);
    }

    [Theory]
    [InlineData("Always", "Running")]
    [InlineData("OnFailure", "Succeeded")]
    [InlineData("Never", "Succeeded")]
    public void AllSucceededFollowsRestartPolicy(string restartPolicy, string expected)
    {
        var pod = Pod([Nginx()], restartPolicy: restartPolicy);
        var state = State(Sandbox(), Exited("web", 0, Started, Now, 0, "Completed"));

        Assert.Equal(expected, PodStatusBuilder.Build(pod, state, Context()).Phase);
    }

    [Theory]
    [InlineData("nginx:latest", "docker.io/library/nginx:1.14.2", "docker.io/library/nginx:latest")]
    [InlineData("nginx", "docker.io/library/nginx:1.25", "docker.io/library/nginx:latest")]
    [InlineData("registry.k8s.io/pause:3.10", "registry.k8s.io/pause:3.6", "registry.k8s.io/pause:3.10")]
    [InlineData("nginx:latest", "docker.io/library/other:1", "docker.io/library/other:1")]
    public void ImageIsTheSpecsNormalisedWhenTheRuntimeReportsAnotherTagOfIt(string spec, string reported, string expected)
    {
        // containerd 1.6 reports an image's first tag; an image with several tags would otherwise show one the pod never named.
        var pod = Pod([Nginx()]);
        pod.Spec!.Containers![0].Image = spec;
        var running = Running("web", 0, Started);
        running.Image = new Korral.Kubelet.Cri.V1.ImageSpec { Image = reported };

        var status = PodStatusBuilder.Build(pod, State(Sandbox(), running), Context());

        Assert.Equal(expected, StatusOf(status, "web").Image);
    }

    [Fact]
    public void ReadinessAndStartupProbeResultsComeFromTheSets()
    {
        var pod = Pod([Nginx("web", readinessProbe: true), Nginx("api", readinessProbe: true, startupProbe: true), Busybox("log")]);
        var state = State(Sandbox(), Running("web", 0, Started), Running("api", 0, Started), Running("log", 0, Started, busybox: true));

        var status = PodStatusBuilder.Build(pod, state, Context() with
        {
            ReadyContainers = new HashSet<string> { "web", "api" },
            StartedContainers = new HashSet<string>(),
        });

        Assert.Equal((true, true), (StatusOf(status, "web").Started, StatusOf(status, "web").Ready));
        Assert.Equal((false, false), (StatusOf(status, "api").Started, StatusOf(status, "api").Ready));
        Assert.Equal((true, true), (StatusOf(status, "log").Started, StatusOf(status, "log").Ready));
        Assert.Equal("containers with unready status: [api]", ConditionOf(status, "ContainersReady").Message);
    }

    [Theory]
    [InlineData(null, "False", "ReadinessGatesNotReady", "corresponding condition of pod readiness gate \"example.com/lb-ready\" does not exist.")]
    [InlineData("False", "False", "ReadinessGatesNotReady", "the status of pod readiness gate \"example.com/lb-ready\" is not \"True\", but False")]
    [InlineData("True", "True", null, null)]
    public void ReadinessGatesDecideReadyOnceContainersAre(string? gateStatus, string ready, string? reason, string? message)
    {
        var pod = Pod([Nginx()]);
        pod.Spec!.ReadinessGates = [new PodReadinessGate { ConditionType = "example.com/lb-ready" }];
        if (gateStatus is not null)
        {
            pod.Status!.Conditions!.Add(new PodCondition { Type = "example.com/lb-ready", Status = gateStatus, LastTransitionTime = Scheduled });
        }

        var status = PodStatusBuilder.Build(pod, State(Sandbox(), Running("web", 0, Started)), Context());

        var condition = ConditionOf(status, "Ready");
        Assert.Equal((ready, reason, message), (condition.Status, condition.Reason, condition.Message));
        Assert.Equal("True", ConditionOf(status, "ContainersReady").Status);
        if (gateStatus is not null)
        {
            Assert.Equal("example.com/lb-ready", status.Conditions![0].Type);
            Assert.Equal(Scheduled, status.Conditions[0].LastTransitionTime);
        }
    }

    [Fact]
    public void TransitionTimeMovesOnlyWhenTheStatusFlips()
    {
        var pod = Pod([Nginx(readinessProbe: true)]);
        var state = State(Sandbox(), Running("web", 0, Started));
        var ready = new HashSet<string> { "web" };
        var first = PodStatusBuilder.Build(pod, state, Context(ready: ready, now: Scheduled.AddSeconds(10)));
        var still = PodStatusBuilder.Build(pod, state, Context(ready: ready, previous: first, now: Scheduled.AddSeconds(20)));
        var failing = PodStatusBuilder.Build(pod, state, Context(ready: new HashSet<string>(), previous: still, now: Scheduled.AddSeconds(30)));

        Assert.Equal(Scheduled.AddSeconds(10), ConditionOf(still, "Ready").LastTransitionTime);
        Assert.Equal(Scheduled.AddSeconds(30), ConditionOf(failing, "Ready").LastTransitionTime);
        Assert.Equal(Scheduled.AddSeconds(10), ConditionOf(failing, "Initialized").LastTransitionTime);
        Assert.Equal(Scheduled, ConditionOf(failing, "PodScheduled").LastTransitionTime);
        Assert.Equal(Scheduled.AddSeconds(10), failing.StartTime);
        Assert.All(failing.Conditions!, c => Assert.Null(c.LastProbeTime));
    }

    [Fact]
    public void NowIsCutToWholeSeconds()
    {
        var status = PodStatusBuilder.Build(Pod([Nginx()]), State(null), Context(now: Now.AddMilliseconds(750)));

        Assert.Equal(Now, status.StartTime);
        Assert.All(status.Conditions!.Where(c => c.Type != "PodScheduled"), c => Assert.Equal(Now, c.LastTransitionTime));
    }

    [Fact]
    public void PreviousAttemptCollectedByTheRuntimeStaysAsLastState()
    {
        var pod = Pod([Nginx()]);
        var crashed = PodStatusBuilder.Build(pod, State(Sandbox(), Exited("web", 0, Started, Scheduled.AddSeconds(9), 1, "Error")), Context());
        var previousId = StatusOf(crashed, "web").ContainerID;

        var status = PodStatusBuilder.Build(pod, State(Sandbox(), Running("web", 1, Scheduled.AddSeconds(20))), Context(previous: crashed));

        var web = StatusOf(status, "web");
        Assert.Equal(1, web.RestartCount);
        Assert.Equal((previousId, 1, "Error"), (web.LastState!.Terminated!.ContainerID, web.LastState.Terminated.ExitCode, web.LastState.Terminated.Reason));

        // And it survives the next computation too, from the status that carried it.
        var again = PodStatusBuilder.Build(pod, State(Sandbox(), Running("web", 1, Scheduled.AddSeconds(20))), Context(previous: status));
        Assert.Equal(previousId, StatusOf(again, "web").LastState!.Terminated!.ContainerID);
    }

    [Fact]
    public void ContainerThatVanishedWhileRunningCountsAsARestart()
    {
        var pod = Pod([Nginx()]);
        var running = PodStatusBuilder.Build(pod, State(Sandbox(), Running("web", 0, Started)), Context());

        var status = PodStatusBuilder.Build(pod, State(Sandbox()), Context(previous: running));

        var web = StatusOf(status, "web");
        Assert.Equal("ContainerCreating", web.State!.Waiting!.Reason);
        Assert.Equal(("ContainerStatusUnknown", 137), (web.LastState!.Terminated!.Reason, web.LastState.Terminated.ExitCode));
        Assert.Equal(1, web.RestartCount);
        Assert.Equal("Running", status.Phase);
    }

    [Fact]
    public void CreatedContainerWaitsWithoutReasonUnlessTheWorkerRecordedOne()
    {
        var pod = Pod([Nginx()]);
        var created = Created("web", 0, Started);

        var plain = PodStatusBuilder.Build(pod, State(Sandbox(), created), Context());
        var failed = PodStatusBuilder.Build(
            pod,
            State(Sandbox(), new Dictionary<string, ContainerWaiting> { ["web"] = new("CreateContainerError", "failed to start: exec: \"nginx\": not found") }, created),
            Context());

        Assert.NotNull(StatusOf(plain, "web").State!.Waiting);
        Assert.Null(StatusOf(plain, "web").State!.Waiting!.Reason);
        Assert.Equal("Pending", plain.Phase);
        Assert.Equal("CreateContainerError", StatusOf(failed, "web").State!.Waiting!.Reason);
    }

    [Fact]
    public void CompletedInitContainerIsReadyAndLetsTheRestStart()
    {
        var pod = Pod([Nginx()], init: [Busybox("init-db")]);
        var state = State(
            Sandbox(),
            new Dictionary<string, ContainerWaiting> { ["init-db"] = new("CrashLoopBackOff", "stale reason from an earlier attempt") },
            Exited("init-db", 0, Started, Started.AddSeconds(1), 0, "Completed", busybox: true),
            Running("web", 0, Started.AddSeconds(2)));

        var status = PodStatusBuilder.Build(pod, state, Context());

        var init = StatusOf(status, "init-db");
        Assert.Equal((true, false, "Completed"), (init.Ready, init.Started, init.State!.Terminated!.Reason));
        Assert.Equal(("True", null), (ConditionOf(status, "Initialized").Status, ConditionOf(status, "Initialized").Reason));
        Assert.Equal("Running", status.Phase);
    }

    [Fact]
    public void DualStackPodIPsFollowTheNodesPrimaryFamily()
    {
        var sandbox = Sandbox(ip: "fd00:42::7");
        sandbox.Network.AdditionalIps.Add(new Korral.Kubelet.Cri.V1.PodIP { Ip = "10.42.0.7" });
        sandbox.Network.AdditionalIps.Add(new Korral.Kubelet.Cri.V1.PodIP { Ip = "10.42.0.8" });

        var v4First = PodStatusBuilder.Build(Pod([Nginx()]), State(sandbox), Context());
        var v6First = PodStatusBuilder.Build(Pod([Nginx()]), State(sandbox), Context() with { HostIPs = ["2001:db8::10", "192.0.2.10"] });

        Assert.Equal(["10.42.0.7", "fd00:42::7"], v4First.PodIPs!.Select(ip => ip.Ip));
        Assert.Equal("10.42.0.7", v4First.PodIP);
        Assert.Equal(["fd00:42::7", "10.42.0.7"], v6First.PodIPs!.Select(ip => ip.Ip));
        Assert.Equal("2001:db8::10", v6First.HostIP);
    }

    [Fact]
    public void SandboxWithoutIPIsNotReadyToStartContainers()
    {
        var status = PodStatusBuilder.Build(Pod([Nginx()]), State(Sandbox(ip: "")), Context());

        Assert.Equal("False", ConditionOf(status, "PodReadyToStartContainers").Status);
        Assert.Null(status.PodIP);
    }

    [Fact]
    public void TerminationMessagesShareThePodsBudget()
    {
        var pod = Pod([Nginx(), Busybox("log")], restartPolicy: "Never");
        var message = new string('x', 7000) + "é";
        var state = State(Sandbox(), Exited("web", 0, Started, Now, 1, "Error", message), Exited("log", 0, Started, Now, 0, "Completed", "done", busybox: true));

        var status = PodStatusBuilder.Build(pod, state, Context());

        Assert.Equal(6144, Encoding.UTF8.GetByteCount(StatusOf(status, "web").State!.Terminated!.Message!));
        Assert.Equal("done", StatusOf(status, "log").State!.Terminated!.Message);
    }

    [Fact]
    public void DisruptionTargetFromThePreviousStatusIsKept()
    {
        var pod = Pod([Nginx()]);
        var previous = new PodStatus
        {
            Phase = "Running",
            Conditions = [new PodCondition { Type = "DisruptionTarget", Status = "True", Reason = "EvictionByEvictionAPI", LastTransitionTime = Scheduled.AddSeconds(50) }],
        };

        var status = PodStatusBuilder.Build(pod, State(Sandbox(), Running("web", 0, Started)), Context(previous: previous));

        var disruption = ConditionOf(status, "DisruptionTarget");
        Assert.Equal(("True", "EvictionByEvictionAPI", Scheduled.AddSeconds(50)), (disruption.Status, disruption.Reason, disruption.LastTransitionTime));
        Assert.Equal("DisruptionTarget", status.Conditions![0].Type);
    }

    [Fact]
    public void MissingQosClassIsComputedFromTheSpec()
    {
        var pod = Pod([Nginx()]);
        pod.Status!.QosClass = null;
        // As the API server returns it: requests defaulted from limits.
        var resources = new Dictionary<string, Korral.Api.Models.Quantity>
        {
            ["cpu"] = Korral.Api.Models.Quantity.Parse("100m"),
            ["memory"] = Korral.Api.Models.Quantity.Parse("64Mi"),
        };
        pod.Spec!.Containers![0].Resources = new ResourceRequirements { Limits = resources, Requests = new Dictionary<string, Korral.Api.Models.Quantity>(resources) };

        Assert.Equal("Guaranteed", PodStatusBuilder.Build(pod, State(null), Context()).QosClass);
    }

    [Fact]
    public void InputsAreNotModified()
    {
        var input = PodStatusGoldenCases.Get("restart-keeps-times");
        var podBefore = Korral.Api.Models.KubeJson.Serialize(input.Pod);
        var runtimeBefore = string.Join(",", input.State.Containers.Select(c => c.ToString()));

        var status = PodStatusBuilder.Build(input.Pod, input.State, input.Context);
        status.Conditions![0].Status = "changed";
        status.ContainerStatuses![0].LastState!.Terminated = null;

        Assert.Equal(podBefore, Korral.Api.Models.KubeJson.Serialize(input.Pod));
        Assert.Equal(runtimeBefore, string.Join(",", input.State.Containers.Select(c => c.ToString())));
    }
}
