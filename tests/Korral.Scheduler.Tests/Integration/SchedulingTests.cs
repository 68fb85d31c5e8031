using Korral.Api.Models.CoreV1;
using Korral.Client;
using Korral.Controllers.Tests.Manager;
using Korral.Scheduler.Tests.Fixtures;

namespace Korral.Scheduler.Tests.Integration;

/// <summary>The scheduler against a real API server: binding, messages, events, taints, other schedulers, cluster events.</summary>
public sealed class SchedulingTests : IAsyncLifetime
{
    private SchedulerCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await SchedulerCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private static Pod NewPod(string name, string? cpu = null, string? schedulerName = null, IList<Toleration>? tolerations = null)
    {
        var pod = TestPods.Pod(name, cpu);
        pod.Metadata!.Uid = null;
        pod.Spec!.Priority = null;
        pod.Spec.SchedulerName = schedulerName;
        pod.Spec.Tolerations = tolerations;
        return pod;
    }

    [Fact]
    public async Task Pods_are_bound_spread_by_least_allocated_with_a_scheduled_event()
    {
        await _cluster.AddNodeAsync("n1", cpu: "2");
        await _cluster.AddNodeAsync("n2", cpu: "2");
        await _cluster.CreatePodAsync(NewPod("a", cpu: "1"));
        var first = await _cluster.BoundNodeAsync("a");
        await _cluster.CreatePodAsync(NewPod("b", cpu: "1"));
        var second = await _cluster.BoundNodeAsync("b");

        Assert.NotEqual(first, second);
        var pod = await _cluster.Client.Resource<Pod>().GetAsync("default", "a", CancellationToken.None);
        Assert.Contains(pod.Status!.Conditions!, c => c.Type == "PodScheduled" && c.Status == "True");
        var events = await WaitForEventAsync("a", "Scheduled");
        Assert.Equal($"Successfully assigned default/a to {first}", events.Message);
        Assert.Equal("Normal", events.Type);
        Assert.Equal("default-scheduler", events.Source?.Component);
    }

    [Fact]
    public async Task A_pod_bigger_than_every_node_stays_pending_with_upstreams_message_and_an_event()
    {
        await _cluster.AddNodeAsync("n1", cpu: "2");
        await _cluster.CreatePodAsync(NewPod("huge", cpu: "3"));

        var message = await _cluster.UnschedulableMessageAsync("huge");

        Assert.Equal("0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.", message);
        var failed = await WaitForEventAsync("huge", "FailedScheduling");
        Assert.Equal("Warning", failed.Type);
        Assert.Equal(message, failed.Message);
        var pod = await _cluster.Client.Resource<Pod>().GetAsync("default", "huge", CancellationToken.None);
        Assert.True(string.IsNullOrEmpty(pod.Spec!.NodeName));
        Assert.Equal("Pending", pod.Status!.Phase);
    }

    [Fact]
    public async Task A_pending_pod_is_scheduled_when_a_node_that_fits_arrives()
    {
        await _cluster.AddNodeAsync("small", cpu: "1");
        await _cluster.CreatePodAsync(NewPod("waiting", cpu: "2"));
        await _cluster.UnschedulableMessageAsync("waiting");

        await _cluster.AddNodeAsync("big", cpu: "8");

        Assert.Equal("big", await _cluster.BoundNodeAsync("waiting"));
    }

    [Fact]
    public async Task Tainted_and_cordoned_nodes_are_avoided_unless_tolerated()
    {
        await _cluster.AddNodeAsync("tainted", taints: [new Taint { Key = "dedicated", Value = "gpu", Effect = "NoSchedule" }]);
        await _cluster.AddNodeAsync("cordoned");
        await _cluster.Client.Resource<Node>().PatchAsync(null, "cordoned", PatchType.Merge, """{"spec":{"unschedulable":true}}""", CancellationToken.None);
        await _cluster.CreatePodAsync(NewPod("plain"));

        var message = await _cluster.UnschedulableMessageAsync("plain");
        Assert.Equal("0/2 nodes are available: 1 node(s) had untolerated taint(s), 1 node(s) were unschedulable.", message.Split(" preemption:")[0]);

        await _cluster.CreatePodAsync(NewPod("tolerant", tolerations: [new Toleration { Key = "dedicated", Operator = "Equal", Value = "gpu", Effect = "NoSchedule" }]));
        Assert.Equal("tainted", await _cluster.BoundNodeAsync("tolerant"));

        await _cluster.Client.Resource<Node>().PatchAsync(null, "cordoned", PatchType.Merge, """{"spec":{"unschedulable":false}}""", CancellationToken.None);
        Assert.Equal("cordoned", await _cluster.BoundNodeAsync("plain"));
    }

    [Fact]
    public async Task Pods_for_another_scheduler_are_left_alone()
    {
        await _cluster.AddNodeAsync("n1");
        await _cluster.CreatePodAsync(NewPod("theirs", schedulerName: "my-scheduler"));
        await _cluster.CreatePodAsync(NewPod("ours"));
        await _cluster.BoundNodeAsync("ours");

        // The scheduler handled "ours", created after "theirs", and never touched "theirs".
        var theirs = await _cluster.Client.Resource<Pod>().GetAsync("default", "theirs", CancellationToken.None);
        Assert.True(string.IsNullOrEmpty(theirs.Spec!.NodeName));
        Assert.DoesNotContain(theirs.Status?.Conditions ?? [], c => c.Type == "PodScheduled");
        Assert.Null(_cluster.Host.Current!.Queue.Where(theirs.Metadata!.Uid!));
    }

    private async Task<Event> WaitForEventAsync(string podName, string reason)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await foreach (var e in _cluster.Client.Resource<Event>().WatchAsync("default", new WatchOptions { FieldSelector = $"involvedObject.name={podName},reason={reason}" }, timeout.Token))
        {
            if (e.Object is { } ev)
            {
                return ev;
            }
        }

        throw new TimeoutException($"no {reason} event for {podName}");
    }
}
