using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Logs;

namespace Korral.Kubelet.Tests.Logs;

/// <summary>Which attempt a log request reads, and upstream's messages when there is none (validateContainerLogStatus).</summary>
public sealed class ContainerLogStatusTests
{
    private static ContainerStatus Status(ContainerState? state = null, ContainerState? last = null, string? id = null) =>
        new() { Name = "web", ContainerID = id, State = state, LastState = last };

    private static ContainerState Running() => new() { Running = new ContainerStateRunning() };

    private static ContainerState Terminated(string? id) => new() { Terminated = new ContainerStateTerminated { ContainerID = id, ExitCode = 1 } };

    private static ContainerState Waiting(string reason) => new() { Waiting = new ContainerStateWaiting { Reason = reason } };

    public static TheoryData<string, ContainerStatus?, bool, string?, string?> Cases() => new()
    {
        { "running", Status(Running(), id: "containerd://abc"), false, "abc", null },
        { "running, previous", Status(Running(), Terminated("containerd://old"), "containerd://abc"), true, "old", null },
        { "running, no previous", Status(Running(), id: "containerd://abc"), true, null, "previous terminated container \"web\" in pod \"web-1\" not found" },
        { "terminated", Status(Terminated("containerd://done")), false, "done", null },
        { "terminated without ID, attempt before", Status(Terminated(null), Terminated("containerd://before")), false, "before", null },
        { "terminated without any ID", Status(Terminated(null)), false, null, "container \"web\" in pod \"web-1\" is terminated" },
        { "crash loop: waiting with a last state", Status(Waiting("CrashLoopBackOff"), Terminated("containerd://crashed")), false, "crashed", null },
        { "waiting: creating", Status(Waiting("ContainerCreating")), false, null, "container \"web\" in pod \"web-1\" is waiting to start: ContainerCreating" },
        { "waiting: pull error", Status(Waiting("ErrImagePull")), false, null, "container \"web\" in pod \"web-1\" is waiting to start: image can't be pulled" },
        { "waiting: pull back-off", Status(Waiting("ImagePullBackOff")), false, null,
            "container \"web\" in pod \"web-1\" is waiting to start: trying and failing to pull image" },
        { "no state at all", Status(), false, null, "container \"web\" in pod \"web-1\" is waiting to start - no logs yet" },
        { "not in the status", null, false, null, "container \"web\" in pod \"web-1\" is not available" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Selects_the_attempt_or_says_why_not(string name, ContainerStatus? status, bool previous, string? id, string? error)
    {
        var pod = new PodStatus { ContainerStatuses = status is null ? [] : [status] };
        var selected = ContainerLogStatus.Select(pod, "web-1", "web", previous);
        Assert.True(selected == new ContainerLogSelection(id, error), $"{name}: got {selected}");
    }

    [Fact]
    public void Init_and_ephemeral_containers_are_found_too()
    {
        var pod = new PodStatus
        {
            InitContainerStatuses = [new ContainerStatus { Name = "init", State = Terminated("containerd://i") }],
            EphemeralContainerStatuses = [new ContainerStatus { Name = "debug", ContainerID = "containerd://d", State = Running() }],
        };
        Assert.Equal("i", ContainerLogStatus.Select(pod, "p", "init", false).ContainerId);
        Assert.Equal("d", ContainerLogStatus.Select(pod, "p", "debug", false).ContainerId);

        var spec = new PodSpec
        {
            Containers = [new Container { Name = "main" }],
            InitContainers = [new Container { Name = "init" }],
            EphemeralContainers = [new EphemeralContainer { Name = "debug" }],
        };
        Assert.True(ContainerLogStatus.HasContainer(spec, "main"));
        Assert.True(ContainerLogStatus.HasContainer(spec, "init"));
        Assert.True(ContainerLogStatus.HasContainer(spec, "debug"));
        Assert.False(ContainerLogStatus.HasContainer(spec, "other"));
    }
}
