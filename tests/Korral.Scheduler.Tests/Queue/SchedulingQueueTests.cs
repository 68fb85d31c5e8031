using Korral.Client.Tests.Fixtures;
using Korral.Scheduler.Framework;
using Korral.Scheduler.Queue;
using Korral.Scheduler.Tests.Fixtures;

namespace Korral.Scheduler.Tests.Queue;

public sealed class SchedulingQueueTests : IDisposable
{
    private static readonly ClusterEvent NodeAdd = new(EventResource.Node, ActionType.Add);
    private static readonly ClusterEvent PodDelete = new(EventResource.AssignedPod, ActionType.Delete);

    private readonly FakeTimeProvider _time = new();
    private readonly SchedulingQueue _queue;

    public SchedulingQueueTests()
    {
        _queue = new SchedulingQueue(new SchedulingQueueOptions { Time = _time },
            less: (a, b) => a.Pod.Priority != b.Pod.Priority ? a.Pod.Priority > b.Pod.Priority : a.Timestamp < b.Timestamp,
            preEnqueue: p => p.Pod.Spec?.SchedulingGates is { Count: > 0 } ? Status.Pending("gated").WithPlugin("SchedulingGates") : Status.Success,
            // Pods rejected by "Fit" move on pod deletions only; anything else moves on any event.
            movesOn: (p, e) => !p.UnschedulablePlugins.Contains("Fit") || e.Resource == EventResource.AssignedPod);
    }

    public void Dispose() => _queue.Dispose();

    private async Task<(QueuedPodInfo Pod, long Cycle)> PopAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return (await _queue.PopAsync(timeout.Token))!.Value;
    }

    [Fact]
    public async Task Pops_by_priority_then_by_age()
    {
        _queue.Add(TestPods.Info("low", priority: 1));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        _queue.Add(TestPods.Info("high", priority: 10));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        _queue.Add(TestPods.Info("low-later", priority: 1));

        Assert.Equal("high", (await PopAsync()).Pod.Pod.Name);
        Assert.Equal("low", (await PopAsync()).Pod.Pod.Name);
        Assert.Equal("low-later", (await PopAsync()).Pod.Pod.Name);
    }

    [Fact]
    public async Task Pop_waits_until_a_pod_arrives()
    {
        var pop = _queue.PopAsync(CancellationToken.None).AsTask();
        Assert.False(pop.IsCompleted);
        _queue.Add(TestPods.Info("p"));
        var popped = await pop.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("p", popped!.Value.Pod.Pod.Name);
        Assert.Equal("inflight", _queue.Where(popped.Value.Pod.Pod.Uid));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(4, 8)]
    [InlineData(5, 10)]
    [InlineData(30, 10)]
    public void Backoff_doubles_from_one_second_up_to_ten(int attempts, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), _queue.BackoffDuration(attempts));

    [Fact]
    public async Task A_rejected_pod_waits_for_an_event_its_plugin_cares_about()
    {
        _queue.Add(TestPods.Info("p"));
        var (pod, cycle) = await PopAsync();
        pod.UnschedulablePlugins.Add("Fit");
        _queue.AddUnschedulableIfNotPresent(pod, cycle);
        Assert.Equal("unschedulable", _queue.Where(pod.Pod.Uid));

        _queue.OnClusterEvent(NodeAdd);
        Assert.Equal("unschedulable", _queue.Where(pod.Pod.Uid));

        // Still within its 1 s backoff: the event moves it to backoff, and the timer then to active.
        _queue.OnClusterEvent(PodDelete);
        Assert.Equal("backoff", _queue.Where(pod.Pod.Uid));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("active", _queue.Where(pod.Pod.Uid));
        Assert.Equal(2, (await PopAsync()).Pod.Attempts);
    }

    [Fact]
    public async Task An_event_during_the_pods_own_cycle_sends_it_to_backoff_not_unschedulable()
    {
        _queue.Add(TestPods.Info("p"));
        var (pod, cycle) = await PopAsync();
        _queue.OnClusterEvent(NodeAdd);
        pod.UnschedulablePlugins.Add("Fit");
        _queue.AddUnschedulableIfNotPresent(pod, cycle);

        Assert.Equal("backoff", _queue.Where(pod.Pod.Uid));
    }

    [Fact]
    public async Task Errors_always_back_off()
    {
        _queue.Add(TestPods.Info("p"));
        var (pod, cycle) = await PopAsync();
        pod.LastAttemptFailed = true;
        _queue.AddUnschedulableIfNotPresent(pod, cycle);
        Assert.Equal("backoff", _queue.Where(pod.Pod.Uid));
        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal("backoff", _queue.Where(pod.Pod.Uid));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("active", _queue.Where(pod.Pod.Uid));
    }

    [Fact]
    public async Task Unschedulable_pods_are_retried_after_five_minutes_without_events()
    {
        _queue.Add(TestPods.Info("p"));
        var (pod, cycle) = await PopAsync();
        pod.UnschedulablePlugins.Add("Fit");
        _queue.AddUnschedulableIfNotPresent(pod, cycle);

        _time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal("unschedulable", _queue.Where(pod.Pod.Uid));
        _time.Advance(TimeSpan.FromMinutes(1.5));
        Assert.Equal("active", _queue.Where(pod.Pod.Uid));
    }

    [Fact]
    public void Gated_pods_wait_until_an_update_removes_the_gate()
    {
        var gated = TestPods.Pod("g");
        gated.Spec!.SchedulingGates = [new Api.Models.CoreV1.PodSchedulingGate { Name = "example.com/gate" }];
        var gatedInfo = PodInfo.From(gated);
        _queue.Add(gatedInfo);
        Assert.Equal("unschedulable", _queue.Where(gatedInfo.Uid));
        _queue.OnClusterEvent(PodDelete);
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal("unschedulable", _queue.Where(gatedInfo.Uid));

        var open = TestPods.Pod("g");
        _queue.Update(gatedInfo, PodInfo.From(open));
        Assert.Equal("active", _queue.Where(gatedInfo.Uid));
    }

    [Fact]
    public async Task A_changed_rejected_pod_is_tried_again_and_a_deleted_one_is_gone()
    {
        _queue.Add(TestPods.Info("p", cpu: "8"));
        var (pod, cycle) = await PopAsync();
        pod.UnschedulablePlugins.Add("Fit");
        _queue.AddUnschedulableIfNotPresent(pod, cycle);
        _time.Advance(TimeSpan.FromSeconds(2));

        _queue.Update(pod.Pod, TestPods.Info("p", cpu: "1"));
        Assert.Equal("active", _queue.Where(pod.Pod.Uid));

        _queue.Delete(pod.Pod.Uid);
        Assert.Null(_queue.Where(pod.Pod.Uid));
        Assert.Equal((0, 0, 0), _queue.Counts);
    }

    [Fact]
    public async Task A_requeued_pod_already_put_back_by_an_update_is_not_added_twice()
    {
        _queue.Add(TestPods.Info("p"));
        var (pod, cycle) = await PopAsync();
        _queue.Update(pod.Pod, TestPods.Info("p", cpu: "1"));
        _queue.AddUnschedulableIfNotPresent(pod, cycle);
        Assert.Equal(1, _queue.Counts.Active + _queue.Counts.Backoff + _queue.Counts.Unschedulable);
    }
}
