using Korral.Scheduler.Cache;
using Korral.Scheduler.Framework;
using Korral.Scheduler.Tests.Fixtures;

namespace Korral.Scheduler.Tests.Cache;

public sealed class SchedulerCacheTests
{
    private readonly SchedulerCache _cache = new();
    private readonly Snapshot _snapshot = new();

    [Fact]
    public void An_assumed_pod_counts_at_once_and_a_forgotten_one_is_released()
    {
        _cache.AddNode(TestPods.Node("n1"));
        var pod = TestPods.Info("p", cpu: "1", memory: "1Gi").WithNodeName("n1");

        _cache.AssumePod(pod);
        _cache.UpdateSnapshot(_snapshot);
        Assert.Equal(1000, _snapshot.Get("n1")!.Requested.MilliCpu);
        Assert.True(_cache.IsAssumed(pod.Uid));

        _cache.ForgetPod(pod.Uid);
        _cache.UpdateSnapshot(_snapshot);
        Assert.Equal(0, _snapshot.Get("n1")!.Requested.MilliCpu);
        Assert.Empty(_snapshot.Get("n1")!.Pods);
    }

    [Fact]
    public void The_informers_bound_pod_confirms_an_assumed_one_even_on_another_node()
    {
        _cache.AddNode(TestPods.Node("n1"));
        _cache.AddNode(TestPods.Node("n2"));
        var pod = TestPods.Info("p", cpu: "1");
        _cache.AssumePod(pod.WithNodeName("n1"));
        _cache.FinishBinding(pod.Uid);

        _cache.AddPod(TestPods.Info("p", cpu: "1", nodeName: "n2"));
        _cache.UpdateSnapshot(_snapshot);

        Assert.False(_cache.IsAssumed(pod.Uid));
        Assert.Empty(_snapshot.Get("n1")!.Pods);
        Assert.Equal(1000, _snapshot.Get("n2")!.Requested.MilliCpu);

        // A confirmed pod is not forgotten by a late binding failure.
        _cache.ForgetPod(pod.Uid);
        _cache.UpdateSnapshot(_snapshot);
        Assert.Single(_snapshot.Get("n2")!.Pods);
    }

    [Fact]
    public void Snapshots_copy_only_changed_nodes_and_never_change_under_a_cycle()
    {
        _cache.AddNode(TestPods.Node("n1"));
        _cache.AddNode(TestPods.Node("n2"));
        _cache.UpdateSnapshot(_snapshot);
        var n1 = _snapshot.Get("n1");
        var n2 = _snapshot.Get("n2");

        _cache.AddPod(TestPods.Info("p", cpu: "1", nodeName: "n2"));
        Assert.Empty(n2!.Pods);

        _cache.UpdateSnapshot(_snapshot);
        Assert.Same(n1, _snapshot.Get("n1"));
        Assert.NotSame(n2, _snapshot.Get("n2"));
        Assert.Same(_snapshot.Get("n2"), _snapshot.Nodes.Single(n => n.Name == "n2"));
    }

    [Fact]
    public void Pods_whose_node_is_unknown_wait_outside_the_snapshot()
    {
        _cache.AddPod(TestPods.Info("p", cpu: "1", nodeName: "later"));
        _cache.UpdateSnapshot(_snapshot);
        Assert.Empty(_snapshot.Nodes);

        _cache.AddNode(TestPods.Node("later"));
        _cache.UpdateSnapshot(_snapshot);
        Assert.Equal(1000, Assert.Single(_snapshot.Nodes).Requested.MilliCpu);

        _cache.RemoveNode("later");
        _cache.UpdateSnapshot(_snapshot);
        Assert.Empty(_snapshot.Nodes);
    }

    [Fact]
    public void Nodes_are_listed_zone_by_zone_in_turn()
    {
        foreach (var (name, zone) in new[] { ("a1", "a"), ("a2", "a"), ("a3", "a"), ("b1", "b"), ("c1", "c"), ("b2", "b") })
        {
            _cache.AddNode(TestPods.Node(name, labels: new Dictionary<string, string> { [SchedulerCache.ZoneLabel] = zone }));
        }

        _cache.UpdateSnapshot(_snapshot);

        Assert.Equal(["a1", "b1", "c1", "a2", "b2", "a3"], _snapshot.Nodes.Select(n => n.Name));
    }

    [Fact]
    public void Nodes_with_affinity_pods_are_listed_for_the_affinity_plugins()
    {
        _cache.AddNode(TestPods.Node("n1"));
        _cache.AddNode(TestPods.Node("n2"));
        var pod = TestPods.Pod("anti", nodeName: "n2", labels: new Dictionary<string, string> { ["app"] = "x" });
        pod.Spec!.Affinity = new Api.Models.CoreV1.Affinity
        {
            PodAntiAffinity = new Api.Models.CoreV1.PodAntiAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution =
                [
                    new Api.Models.CoreV1.PodAffinityTerm
                    {
                        LabelSelector = new Api.Models.MetaV1.LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "x" } },
                        TopologyKey = "kubernetes.io/hostname",
                    },
                ],
            },
        };
        _cache.UpdateSnapshot(_snapshot);
        Assert.Empty(_snapshot.NodesWithRequiredAntiAffinityPods);

        _cache.AddPod(PodInfo.From(pod));
        _cache.UpdateSnapshot(_snapshot);
        Assert.Equal("n2", Assert.Single(_snapshot.NodesWithRequiredAntiAffinityPods).Name);
        Assert.Equal("n2", Assert.Single(_snapshot.NodesWithAffinityPods).Name);

        _cache.RemovePod(pod.Metadata!.Uid!);
        _cache.UpdateSnapshot(_snapshot);
        Assert.Empty(_snapshot.NodesWithRequiredAntiAffinityPods);
    }
}
