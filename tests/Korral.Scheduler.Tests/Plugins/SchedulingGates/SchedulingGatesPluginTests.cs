using Korral.Api.Models.CoreV1;
using Korral.Scheduler.Framework;
using Korral.Scheduler.Plugins.SchedulingGates;

namespace Korral.Scheduler.Tests.Plugins.SchedulingGates;

public sealed class SchedulingGatesPluginTests
{
    public static TheoryData<string[]?, StatusCode, string> Cases => new()
    {
        { null, StatusCode.Success, "" },
        { [], StatusCode.Success, "" },
        { ["a"], StatusCode.Pending, "waiting for scheduling gates: [a]" },
        { ["example.com/a", "b"], StatusCode.Pending, "waiting for scheduling gates: [example.com/a b]" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gated_pods_wait_with_the_gate_names(string[]? gates, StatusCode code, string message)
    {
        var pod = Objects.PodInfo(spec: s => s.SchedulingGates = gates?.Select(g => new PodSchedulingGate { Name = g }).ToList());

        var status = new SchedulingGatesPlugin().PreEnqueue(pod);

        Assert.Equal(code, status.Code);
        Assert.Equal(message, status.Message);
    }

    [Fact]
    public void Only_the_pods_own_gate_removal_requeues_it()
    {
        var events = new SchedulingGatesPlugin().EventsToRegister();

        Assert.Equal([new ClusterEvent(EventResource.UnscheduledPod, ActionType.UpdatePodSchedulingGates)], events);
    }
}
