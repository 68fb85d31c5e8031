using System.Text.Json.Nodes;
using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Api.Patching;
using Korral.Api.Schema;
using Korral.Kubelet.Status;
using static Korral.Kubelet.Tests.Status.StatusFixtures;

namespace Korral.Kubelet.Tests.Status;

/// <summary><see cref="PodStatusComparison"/>, <see cref="PodStatusPatch"/> and <see cref="PodTermination"/>: deciding
/// to write, what to send, and the final status of a stopped pod.</summary>
public sealed class PodStatusWriteTests
{
    private static readonly DateTimeOffset Started = Scheduled.AddSeconds(3);

    [Fact]
    public void FreshPodNeedsItsFirstStatus()
    {
        var pod = Pod([Nginx()]);

        var status = PodStatusBuilder.Build(pod, State(null), Context());

        Assert.True(PodStatusComparison.NeedsUpdate(pod, status));
    }

    [Fact]
    public void OnlyConditionTimesDifferingNeedsNoUpdate()
    {
        var pod = Written(PodStatusBuilder.Build(Pod([Nginx()]), State(Sandbox(), Running("web", 0, Started)), Context()));
        var status = Roundtrip(pod.Status!);
        foreach (var condition in status.Conditions!)
        {
            condition.LastTransitionTime = Now.AddHours(1);
            condition.LastProbeTime = Now;
        }

        Assert.False(PodStatusComparison.NeedsUpdate(pod, status));
    }

    [Theory]
    [InlineData("ready")]
    [InlineData("restartCount")]
    [InlineData("condition reason")]
    [InlineData("podIP")]
    [InlineData("missing kubelet condition")]
    public void AnyOtherChangeNeedsAnUpdate(string change)
    {
        var pod = Written(PodStatusBuilder.Build(Pod([Nginx()]), State(Sandbox(), Running("web", 0, Started)), Context()));
        var status = Roundtrip(pod.Status!);
        switch (change)
        {
            case "ready":
                status.ContainerStatuses![0].Ready = false;
                break;
            case "restartCount":
                status.ContainerStatuses![0].RestartCount = 1;
                break;
            case "condition reason":
                status.Conditions!.Single(c => c.Type == "Initialized").Reason = "PodCompleted";
                break;
            case "podIP":
                status.PodIP = "10.42.0.8";
                break;
            default:
                status.Conditions!.Remove(status.Conditions.Single(c => c.Type == "PodReadyToStartContainers"));
                break;
        }

        Assert.True(PodStatusComparison.NeedsUpdate(pod, status));
    }

    [Fact]
    public void ConditionsOwnedByOthersDoNotCount()
    {
        var pod = Written(PodStatusBuilder.Build(Pod([Nginx()]), State(Sandbox(), Running("web", 0, Started)), Context()));
        var status = Roundtrip(pod.Status!);
        status.Conditions!.Add(new PodCondition { Type = "example.com/audit", Status = "True" });

        Assert.False(PodStatusComparison.NeedsUpdate(pod, status));
    }

    [Fact]
    public void PatchAppliedByTheServerGivesTheComputedStatusAndKeepsOthersConditions()
    {
        var pod = Pod([Nginx(), Busybox("log")]);
        pod.Status!.Conditions!.Insert(0, new PodCondition { Type = "example.com/audit", Status = "True", LastTransitionTime = Scheduled });
        var status = PodStatusBuilder.Build(pod, State(Sandbox(), Running("web", 0, Started), Running("log", 0, Started, busybox: true)), Context());

        var body = PodStatusPatch.Create(pod, status);

        Assert.NotNull(body);
        var patch = JsonNode.Parse(body)!.AsObject();
        Assert.Equal(PodUid, patch["metadata"]!["uid"]!.GetValue<string>());
        Assert.NotNull(patch["status"]!["$setElementOrder/conditions"]);

        var patched = new StrategicMergePatch(GeneratedSchemaCatalog.Instance)
            .Apply((JsonObject)KubeJson.ToNode(pod)!, patch, "io.k8s.api.core.v1.Pod");
        var expected = KubeJson.ToNode(status)!.AsObject();
        Assert.True(JsonNode.DeepEquals(expected, patched["status"]), patched["status"]!.ToJsonString());
        Assert.Equal(
            ["example.com/audit", "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"],
            patched["status"]!["conditions"]!.AsArray().Select(c => c!["type"]!.GetValue<string>()));
    }

    [Fact]
    public void ContainerStatusesAreReplacedWhole()
    {
        var pod = Written(PodStatusBuilder.Build(Pod([Nginx()]), State(Sandbox(), Running("web", 0, Started)), Context()));
        var crashed = PodStatusBuilder.Build(
            pod,
            State(Sandbox(), Exited("web", 0, Started, Now.AddSeconds(-5), 1, "Error")),
            Context());

        var patch = JsonNode.Parse(PodStatusPatch.Create(pod, crashed)!)!.AsObject();
        var patched = new StrategicMergePatch(GeneratedSchemaCatalog.Instance)
            .Apply((JsonObject)KubeJson.ToNode(pod)!, patch, "io.k8s.api.core.v1.Pod");

        var web = patched["status"]!["containerStatuses"]!.AsArray().Single()!;
        Assert.Null(web["state"]!["running"]);
        Assert.Equal(1, web["state"]!["terminated"]!["exitCode"]!.GetValue<int>());
    }

    [Fact]
    public void PodTerminationLeavesNoContainerAliveAndThePhaseTerminal()
    {
        var pod = Pod([Nginx(), Busybox("log")]);
        var status = PodStatusBuilder.Build(
            pod,
            State(Sandbox(), Running("web", 0, Started), Exited("log", 0, Started, Now, 0, "Completed", busybox: true)),
            Context());
        Assert.Equal("Running", status.Phase);

        var final = PodTermination.MarkTerminated(pod, status, Now.AddSeconds(9));

        Assert.Equal("Failed", final.Phase);
        var web = StatusOf(final, "web").State!.Terminated!;
        Assert.Equal(("ContainerStatusUnknown", "The container could not be located when the pod was terminated", 137), (web.Reason, web.Message, web.ExitCode));
        Assert.Equal("Completed", StatusOf(final, "log").State!.Terminated!.Reason);
        Assert.Equal("Running", status.Phase);
    }

    [Fact]
    public void PodTerminationOfAnUninitializedPodTouchesOnlyInitContainersThatTried()
    {
        var pod = Pod([Nginx()], init: [Busybox("init-a"), Busybox("init-b")]);
        var status = PodStatusBuilder.Build(pod, State(Sandbox(), Running("init-a", 0, Started, busybox: true)), Context());

        var final = PodTermination.MarkTerminated(pod, status, Now);

        Assert.Equal("ContainerStatusUnknown", StatusOf(final, "init-a").State!.Terminated!.Reason);
        Assert.Equal("PodInitializing", StatusOf(final, "init-b").State!.Waiting!.Reason);
        Assert.Equal("PodInitializing", StatusOf(final, "web").State!.Waiting!.Reason);
        Assert.Equal("Failed", final.Phase);
    }

    [Fact]
    public void PodTerminationMakesAReadyPodUnready()
    {
        var pod = Pod([Nginx()]);
        var status = PodStatusBuilder.Build(pod, State(Sandbox(), Running("web", 0, Started)), Context());

        var final = PodTermination.MarkTerminated(pod, status, Now.AddSeconds(9.5));

        var ready = ConditionOf(final, "Ready");
        Assert.Equal(("False", "PodFailed", Now.AddSeconds(9)), (ready.Status, ready.Reason, ready.LastTransitionTime));
        Assert.Equal("False", ConditionOf(final, "ContainersReady").Status);
    }

    private static Pod Written(PodStatus status)
    {
        var pod = Pod([Nginx()]);
        pod.Status = Roundtrip(status);
        return pod;
    }

    private static PodStatus Roundtrip(PodStatus status) => KubeJson.FromNode<PodStatus>(KubeJson.ToNode(status))!;
}
