using Korral.Kubelet.Cri.V1;
using Korral.Kubelet.Tests.Fixtures;
using CriContainerState = Korral.Kubelet.Cri.V1.ContainerState;

namespace Korral.Kubelet.Tests.Kubelet;

/// <summary>Containers that exit, under restartPolicy Always (crash-loop back-off) and Never (the pod completes).</summary>
public sealed class RestartPolicyTests(ContainerdFixture containerd, KubeletApiServer api) : KubeletTestBase(containerd, api)
{
    [Fact]
    public async Task FailingContainerUnderAlwaysCrashLoopsWithBackOff()
    {
        var created = await CreatePodAsync("crash", """
            {"restartPolicy": "Always",
             "containers": [{"name": "crash", "image": "docker.io/library/busybox:1.36", "imagePullPolicy": "IfNotPresent", "command": ["sh", "-c", "exit 1"]}]}
            """);
        var uid = created.Metadata!.Uid!;

        var pod = await WaitForPodAsync("crash", p => p.Status?.ContainerStatuses?.SingleOrDefault() is
            { RestartCount: >= 2, State.Waiting.Reason: "CrashLoopBackOff", LastState.Terminated: { ExitCode: 1, Reason: "Error" } },
            "CrashLoopBackOff after at least two restarts, the last exit 1 (Error)");

        var status = Assert.Single(pod.Status!.ContainerStatuses!);
        Assert.False(status.Ready);
        Assert.False(status.Started);
        Assert.Matches($"^back-off [0-9]+s restarting failed container=crash pod=crash_{Namespace}\\({uid}\\)$", status.State!.Waiting!.Message);
        Assert.StartsWith("containerd://", status.LastState!.Terminated!.ContainerID, StringComparison.Ordinal);
        Assert.Equal("Running", pod.Status.Phase);
        var ready = pod.Status.Conditions!.Single(c => c.Type == "Ready");
        Assert.Equal(("False", "ContainersNotReady"), (ready.Status, ready.Reason));
        Assert.Contains(await EventsOfAsync(uid), e => e.Reason == "BackOff" && e.Type == "Warning"
            && e.Message == $"Back-off restarting failed container crash in pod crash_{Namespace}({uid})");

        // Every restart is a new attempt of the container in the same sandbox.
        var runtime = await RuntimeOfAsync(uid);
        Assert.Single(runtime!.Sandboxes);
        Assert.True(runtime.Containers.Max(c => c.Metadata.Attempt) >= 2, string.Join(", ", runtime.Containers.Select(c => c.Metadata.Attempt)));
    }

    [Fact]
    public async Task ContainerThatSucceedsUnderNeverCompletesThePod()
    {
        var created = await CreatePodAsync("once", """
            {"restartPolicy": "Never",
             "containers": [{"name": "once", "image": "docker.io/library/busybox:1.36", "imagePullPolicy": "IfNotPresent", "command": ["sh", "-c", "echo done"]}]}
            """);
        var uid = created.Metadata!.Uid!;

        var pod = await WaitForPodAsync("once", p => p.Status?.Phase == "Succeeded", "Succeeded");

        var status = Assert.Single(pod.Status!.ContainerStatuses!);
        var terminated = status.State?.Terminated;
        Assert.NotNull(terminated);
        Assert.Equal((0, "Completed"), (terminated.ExitCode, terminated.Reason));
        Assert.NotNull(terminated.StartedAt);
        Assert.NotNull(terminated.FinishedAt);
        Assert.Equal(status.ContainerID, terminated.ContainerID);
        Assert.Equal(0, status.RestartCount);
        Assert.False(status.Ready);
        var ready = pod.Status.Conditions!.Single(c => c.Type == "Ready");
        Assert.Equal(("False", "PodCompleted"), (ready.Status, ready.Reason));
        Assert.Equal(["done"], LogLinesOf(pod, "once"));

        // Nothing runs any more: the sandbox is stopped, and the container was never started again.
        var runtime = await WaitForRuntimeAsync(uid, r => r?.Sandbox?.State == PodSandboxState.SandboxNotready, "sandbox stopped");
        var container = Assert.Single(runtime!.Containers);
        Assert.Equal(CriContainerState.ContainerExited, container.State);
        Assert.Equal("containerd://" + container.Id, status.ContainerID);
    }
}
