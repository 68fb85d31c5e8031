using Korral.Client;
using Korral.Client.Informers;
using Korral.Client.Tests.Fixtures;
using Korral.Scheduler.Framework;
using Korral.Scheduler.Plugins.DefaultPreemption;
using Korral.Scheduler.Plugins.NodeResourcesFit;
using Korral.Scheduler.Plugins.PrioritySort;
using Korral.Scheduler.Queue;
using Korral.Scheduler.Runtime;
using Korral.Scheduler.Tests.Fakes;
using static Korral.Scheduler.Tests.Plugins.DefaultPreemption.PreemptionObjects;

namespace Korral.Scheduler.Tests.Plugins.DefaultPreemption;

/// <summary>The plugin inside the real framework with the real NodeResourcesFit, down to the FailedScheduling message.</summary>
public sealed class WithSchedulingFrameworkTests
{
    [Fact]
    public async Task The_preemption_message_follows_the_filter_reasons()
    {
        var (node, _, message) = await ScheduleAsync([Node("n1", "1", Pod("a", 10, "1")), Node("n2", "1", Pod("b", 50, "1"))], Pod("p", 10, "1"));

        Assert.Null(node);
        Assert.Equal(
            "0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.",
            message);
    }

    [Fact]
    public async Task A_lower_priority_pod_is_deleted_and_its_node_nominated()
    {
        var (node, requests, _) = await ScheduleAsync([Node("n1", "1", Pod("a", 10, "1")), Node("n2", "1", Pod("b", 1, "1"))], Pod("p", 10, "1"));

        Assert.Equal("n2", node);
        Assert.Contains("DELETE /api/v1/namespaces/default/pods/b", requests);
    }

    private static async Task<(string? Node, List<string> Requests, string Message)> ScheduleAsync(NodeInfo[] nodes, PodInfo pod)
    {
        var api = new FakeApiServer();
        using var client = new KubeClient(new KubeClientOptions { Server = new Uri("http://fake-apiserver"), Handler = api, MaxRetries = 0 });
        await using var informers = new SharedInformerFactory(client);
        var framework = SchedulingFramework.Create(
            [
                (_ => new PrioritySortPlugin(), 0),
                (_ => new NodeResourcesFitPlugin(), 1),
                (h => new DefaultPreemptionPlugin(h, offset: _ => 0), 0),
            ],
            new FrameworkDependencies(client, informers, new RecordingEventRecorder(), new Nominator(), new FakeTimeProvider(), _ => { }));
        framework.Snapshot = new Snapshot(nodes);

        var state = new CycleState();
        var (_, preFilter) = framework.RunPreFilterPlugins(state, pod, framework.Snapshot);
        Assert.True(preFilter.IsSuccess, preFilter.ToString());
        var diagnosis = new Diagnosis();
        foreach (var node in framework.Snapshot.Nodes)
        {
            var status = framework.RunFilterPluginsWithNominatedPods(state, pod, node);
            Assert.False(status.IsSuccess, $"{pod} fits {node.Name}: nothing to preempt for");
            diagnosis.NodeToStatus.Set(node.Name, status);
        }

        var (nominated, postFilter) = await framework.RunPostFilterPluginsAsync(state, pod, diagnosis.NodeToStatus, CancellationToken.None);
        diagnosis.PostFilterMessage = postFilter.Message;
        return (postFilter.IsSuccess ? nominated : null, api.Requests, new FitError(pod.Key, nodes.Length, diagnosis).Message);
    }
}
