using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Api.Models.SchedulingV1;
using Korral.Client;
using Korral.Controllers.Tests.Manager;
using Korral.Scheduler.Plugins;
using Korral.Scheduler.Plugins.DefaultPreemption;
using Korral.Scheduler.Tests.Fixtures;
using Korral.Scheduler.Tests.Integration;

namespace Korral.Scheduler.Tests.Plugins.DefaultPreemption;

/// <summary>Preemption end to end: the scheduler with DefaultPreemption against a real API server.</summary>
public sealed class PreemptionIntegrationTests : IAsyncLifetime
{
    private SchedulerCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await SchedulerCluster.StartAsync(o => o with
    {
        // The default profile with DefaultPreemption, listed in the registry or not.
        Plugins =
        [
            .. PluginRegistry.Default.Where(e => e.Name != DefaultPreemptionPlugin.PluginName),
            new(DefaultPreemptionPlugin.PluginName, h => new DefaultPreemptionPlugin(h)),
        ],
    });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_high_priority_pod_evicts_a_low_priority_one_waits_for_it_and_takes_its_place()
    {
        var pods = _cluster.Client.Resource<Pod>();
        await _cluster.Client.Resource<PriorityClass>().CreateAsync(new PriorityClass { Metadata = new ObjectMeta { Name = "low" }, Value = 1 }, CancellationToken.None);
        await _cluster.Client.Resource<PriorityClass>().CreateAsync(new PriorityClass { Metadata = new ObjectMeta { Name = "high" }, Value = 1000 }, CancellationToken.None);
        await _cluster.AddNodeAsync("n1", cpu: "2");
        await _cluster.CreatePodAsync(NewPod("low", "low"));
        Assert.Equal("n1", await _cluster.BoundNodeAsync("low"));

        var high = await _cluster.CreatePodAsync(NewPod("high", "high"));

        await Until.ObjectAsync<Pod>(_cluster.Client, "default", "high", p => p?.Status?.NominatedNodeName == "n1", what: "high nominated to n1");
        var low = await Until.ObjectAsync<Pod>(_cluster.Client, "default", "low", p => p is null || p.Metadata?.DeletionTimestamp is not null, what: "low deleted");
        var preempted = await WaitForEventAsync("low", "Preempted");
        Assert.Equal($"Preempted by pod {high.Metadata!.Uid} on node n1", preempted.Message);
        if (low is not null)
        {
            // Graceful deletion (no kubelet here to finish it): a retry meanwhile — a node too small joins — waits for
            // the victim instead of evicting more.
            Assert.Contains(low.Status!.Conditions!, c => c is { Type: "DisruptionTarget", Status: "True", Reason: "PreemptionByScheduler" });
            // (The node is created before its status, so a first retry may still see it without allocatable pods.)
            await _cluster.AddNodeAsync("n2", cpu: "1");
            const string waiting = "0/2 nodes are available: 2 Insufficient cpu. preemption: not eligible due to a terminating pod on the nominated node.";
            await _cluster.UnschedulableMessageAsync("high", m => m == waiting);
            await pods.DeleteAsync("default", "low", new DeleteOptions { GracePeriodSeconds = 0 }, CancellationToken.None);
        }

        Assert.Equal("n1", await _cluster.BoundNodeAsync("high"));
    }

    private async Task<Event> WaitForEventAsync(string podName, string reason)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var options = new WatchOptions { FieldSelector = $"involvedObject.name={podName},reason={reason}" };
        await foreach (var e in _cluster.Client.Resource<Event>().WatchAsync("default", options, timeout.Token))
        {
            if (e.Object is { } ev)
            {
                return ev;
            }
        }

        throw new TimeoutException($"no {reason} event for {podName}");
    }

    private static Pod NewPod(string name, string priorityClass)
    {
        var pod = TestPods.Pod(name, cpu: "2");
        pod.Metadata!.Uid = null;
        pod.Spec!.Priority = null;
        pod.Spec.PriorityClassName = priorityClass;
        return pod;
    }
}
