using Korral.Api.Models.CoordinationV1;
using Korral.Api.Models.CoreV1;
using Korral.Client.Informers;
using Korral.Client.Tests.Fixtures;
using Korral.Controllers.NodeLifecycle;
using Korral.Controllers.Tests.Common;
using static Korral.Controllers.Tests.NodeLifecycle.NodeFixtures;

namespace Korral.Controllers.Tests.NodeLifecycle;

/// <summary>
/// The node lifecycle controller over seeded caches, fake writes (applied to the caches, as the informers would) and
/// fake time: grace periods, conditions, pods, taints, zone rates, deadlines.
/// </summary>
public sealed class NodeLifecycleControllerTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly DateTimeOffset _t0;
    private readonly Indexer<Node> _nodes = new();
    private readonly Indexer<Lease> _leases = new();
    private readonly Indexer<Pod> _pods = new();
    private readonly RecordingEvents _events = new();
    private readonly FakeNodeLifecycleWriter _writer;
    private readonly NodeLifecycleController _controller;
    private int _leaseVersion;

    public NodeLifecycleControllerTests()
    {
        _t0 = _time.GetUtcNow();
        _writer = new FakeNodeLifecycleWriter(_nodes, _pods);
        _controller = new NodeLifecycleController(_nodes, _leases, _pods, _writer, _events, _time, _ => { });
    }

    private DateTimeOffset Now => _time.GetUtcNow();

    private void Advance(double seconds) => _time.Advance(TimeSpan.FromSeconds(seconds));

    private void AddNode(string name, string? ready = "True", string? zone = null, params (string Type, string Status)[] conditions) =>
        _nodes.Upsert(NewNode(name, _t0, Now, ready, zone, conditions: conditions));

    private void RenewLease(params string[] nodes)
    {
        foreach (var node in nodes)
        {
            _leases.Upsert(NewLease(node, Now, ++_leaseVersion));
        }
    }

    private async Task SyncAsync(params string[] nodes)
    {
        foreach (var node in nodes)
        {
            await _controller.SyncNodeAsync(node, CancellationToken.None);
        }
    }

    private Node NodeOf(string name) => _nodes.Get(null, name)!;

    private NodeCondition ConditionOf(string node, string type) => NodeOf(node).Status!.Conditions!.Single(c => c.Type == type);

    private List<string> TaintsOf(string node) => (NodeOf(node).Spec?.Taints ?? []).Select(t => $"{t.Key}:{t.Effect}").Order().ToList();

    private Node With(string name, Action<Node> change)
    {
        var node = Korral.Client.KubeObject.Clone(NodeOf(name));
        change(node);
        _nodes.Upsert(node);
        return node;
    }

    /// <summary>The kubelet posts its conditions again (a fresh heartbeat), with Ready = <paramref name="ready"/>.</summary>
    private void PostStatus(string name, string ready = "True") =>
        With(name, n => n.Status = NewNode(name, _t0, Now, ready).Status);

    [Theory]
    [InlineData(49, "True")]
    [InlineData(50, "True")]
    [InlineData(51, "Unknown")]
    public async Task Ready_becomes_Unknown_only_after_the_grace_period_without_a_heartbeat(int seconds, string expected)
    {
        AddNode("n1");
        RenewLease("n1");
        await SyncAsync("n1");

        Advance(seconds);
        await SyncAsync("n1");

        Assert.Equal(expected, ConditionOf("n1", "Ready").Status);
    }

    [Fact]
    public async Task Lease_renewals_keep_a_node_healthy_whose_status_is_old_and_their_end_makes_every_kubelet_condition_Unknown()
    {
        AddNode("n1", conditions: ("NetworkUnavailable", "False"));
        RenewLease("n1");
        await SyncAsync("n1");
        for (var i = 0; i < 3; i++)
        {
            Advance(40);
            RenewLease("n1");
            await SyncAsync("n1");
        }

        Assert.Equal("True", ConditionOf("n1", "Ready").Status);
        Assert.DoesNotContain(_writer.Writes, w => w.StartsWith("status", StringComparison.Ordinal));

        Advance(51);
        await SyncAsync("n1");

        foreach (var type in new[] { "Ready", "MemoryPressure", "DiskPressure", "PIDPressure" })
        {
            var c = ConditionOf("n1", type);
            Assert.Equal(("Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.", Now), (c.Status, c.Reason, c.Message, c.LastTransitionTime!.Value));
            Assert.Equal(_t0, c.LastHeartbeatTime);
        }

        Assert.Equal("False", ConditionOf("n1", "NetworkUnavailable").Status);
        Assert.Contains("Normal NodeNotReady Node n1 status is now: NodeNotReady", _events.Lines);
    }

    [Fact]
    public async Task Status_heartbeats_alone_keep_a_node_without_a_lease_healthy()
    {
        AddNode("n1");
        await SyncAsync("n1");
        for (var i = 0; i < 3; i++)
        {
            Advance(45);
            PostStatus("n1");
            await SyncAsync("n1");
        }

        Assert.Equal("True", ConditionOf("n1", "Ready").Status);
        Advance(50.5);
        await SyncAsync("n1");
        Assert.Equal("Unknown", ConditionOf("n1", "Ready").Status);
    }

    [Fact]
    public async Task A_node_that_never_posted_status_gets_never_posted_conditions_after_the_startup_grace_period_from_its_creation()
    {
        AddNode("n1", ready: null);
        Advance(30);
        await SyncAsync("n1");
        Advance(30);
        await SyncAsync("n1");
        Assert.Empty(NodeOf("n1").Status!.Conditions!);

        Advance(1);
        await SyncAsync("n1");

        var conditions = NodeOf("n1").Status!.Conditions!;
        Assert.Equal(["DiskPressure", "MemoryPressure", "PIDPressure", "Ready"], conditions.Select(c => c.Type!).Order());
        Assert.All(conditions, c => Assert.Equal(("Unknown", "NodeStatusNeverUpdated", "Kubelet never posted node status.", _t0, Now),
            (c.Status, c.Reason, c.Message, c.LastHeartbeatTime!.Value, c.LastTransitionTime!.Value)));
    }

    [Fact]
    public async Task A_node_going_silent_has_its_pods_marked_not_Ready_with_events()
    {
        AddNode("n1");
        AddNode("n2");
        _pods.Upsert(NewPod("a", "n1"));
        _pods.Upsert(NewPod("b", "n1"));
        _pods.Upsert(NewPod("c", "n2"));
        await SyncAsync("n1", "n2");

        Advance(51);
        PostStatus("n2");
        await SyncAsync("n1", "n2");

        string Ready(string pod) => _pods.Get("ns", pod)!.Status!.Conditions!.Single(c => c.Type == "Ready").Status!;
        Assert.Equal(("False", "False", "True"), (Ready("a"), Ready("b"), Ready("c")));
        Assert.Equal(Now, _pods.Get("ns", "a")!.Status!.Conditions!.Single(c => c.Type == "Ready").LastTransitionTime);
        Assert.Equal(2, _events.Lines.Count(l => l == "Warning NodeNotReady Node is not ready"));
    }

    [Fact]
    public async Task Pods_that_could_not_be_marked_are_marked_on_the_next_sync()
    {
        AddNode("n1");
        AddNode("n2");
        _pods.Upsert(NewPod("a", "n1"));
        await SyncAsync("n1", "n2");
        Advance(51);
        PostStatus("n2");
        await SyncAsync("n2");
        _writer.PodStatusFailure = new HttpRequestException("connection reset");

        await Assert.ThrowsAsync<AggregateException>(() => SyncAsync("n1"));
        Assert.Equal("Unknown", ConditionOf("n1", "Ready").Status);

        // The retry no longer sees a Ready → Unknown transition (the cache has Unknown): the controller remembered it.
        _writer.PodStatusFailure = null;
        await SyncAsync("n1");
        Assert.Equal("False", _pods.Get("ns", "a")!.Status!.Conditions!.Single(c => c.Type == "Ready").Status);
    }

    [Fact]
    public async Task A_pod_bound_to_a_node_that_is_not_Ready_is_marked_not_Ready()
    {
        AddNode("n1");
        AddNode("n2");
        await SyncAsync("n1", "n2");
        Advance(51);
        PostStatus("n2");
        await SyncAsync("n1", "n2");

        _pods.Upsert(NewPod("late", "n1"));
        _pods.Upsert(NewPod("fine", "n2"));
        await _controller.SyncPodAsync("ns/late", CancellationToken.None);
        await _controller.SyncPodAsync("ns/fine", CancellationToken.None);

        Assert.Equal("False", _pods.Get("ns", "late")!.Status!.Conditions!.Single(c => c.Type == "Ready").Status);
        Assert.Equal("True", _pods.Get("ns", "fine")!.Status!.Conditions!.Single(c => c.Type == "Ready").Status);
    }

    [Theory]
    [InlineData("Ready", "False", "node.kubernetes.io/not-ready")]
    [InlineData("Ready", "Unknown", "node.kubernetes.io/unreachable")]
    [InlineData("MemoryPressure", "True", "node.kubernetes.io/memory-pressure")]
    [InlineData("DiskPressure", "True", "node.kubernetes.io/disk-pressure")]
    [InlineData("PIDPressure", "True", "node.kubernetes.io/pid-pressure")]
    [InlineData("NetworkUnavailable", "True", "node.kubernetes.io/network-unavailable")]
    public async Task A_condition_adds_its_NoSchedule_taint_and_takes_it_away_when_it_clears(string type, string status, string key)
    {
        AddNode("n1");
        AddNode("n2");
        With("n1", n => n.Spec!.Taints = [NewTaint("example.com/gpu", "NoSchedule")]);
        await SyncAsync("n1", "n2");

        With("n1", n => n.Status!.Conditions = [.. n.Status.Conditions!.Where(c => c.Type != type), Condition(type, status, Now)]);
        await SyncAsync("n1");
        var taint = Assert.Single(NodeOf("n1").Spec!.Taints!, t => t.Key == key);
        Assert.Equal(("NoSchedule", Now), (taint.Effect, taint.TimeAdded!.Value));

        Advance(5);
        PostStatus("n1");
        await SyncAsync("n1");
        Assert.Equal(["example.com/gpu:NoSchedule"], TaintsOf("n1"));
    }

    [Fact]
    public async Task Unschedulable_nodes_get_the_unschedulable_taint_until_they_are_schedulable_again()
    {
        AddNode("n1");
        await SyncAsync("n1");

        With("n1", n => n.Spec!.Unschedulable = true);
        await SyncAsync("n1");
        Assert.Equal(["node.kubernetes.io/unschedulable:NoSchedule"], TaintsOf("n1"));

        With("n1", n => n.Spec!.Unschedulable = false);
        await SyncAsync("n1");
        Assert.Empty(TaintsOf("n1"));
    }

    [Fact]
    public async Task A_silent_node_gets_the_unreachable_NoExecute_taint_and_loses_it_when_it_is_back()
    {
        AddNode("n1");
        AddNode("n2");
        RenewLease("n1", "n2");
        await SyncAsync("n1", "n2");
        Advance(51);
        RenewLease("n2");
        await SyncAsync("n2", "n1");
        Assert.Equal(["node.kubernetes.io/unreachable:NoSchedule"], TaintsOf("n1"));

        // The controller's own status write comes back through the informer: the node is queued for the NoExecute taint.
        await SyncAsync("n1");
        Assert.Equal(1, _controller.NodesWaitingForTaint);
        Assert.Null(await _controller.TaintingPassAsync(CancellationToken.None));

        Assert.Equal(["node.kubernetes.io/unreachable:NoExecute", "node.kubernetes.io/unreachable:NoSchedule"], TaintsOf("n1"));
        Assert.Equal(Now, NodeOf("n1").Spec!.Taints!.Single(t => t.Effect == "NoExecute").TimeAdded);

        Advance(20);
        RenewLease("n1");
        PostStatus("n1");
        await SyncAsync("n1");
        Assert.Empty(TaintsOf("n1"));
    }

    [Fact]
    public async Task A_node_reporting_NotReady_while_tainted_unreachable_gets_the_not_ready_taint_at_once()
    {
        AddNode("n1");
        AddNode("n2");
        await SyncAsync("n1", "n2");
        With("n1", n => n.Spec!.Taints = [NewTaint("node.kubernetes.io/unreachable", "NoExecute", _t0)]);
        PostStatus("n1", ready: "False");

        await SyncAsync("n1");

        Assert.Equal(["node.kubernetes.io/not-ready:NoExecute", "node.kubernetes.io/not-ready:NoSchedule"], TaintsOf("n1"));
        Assert.Equal(0, _controller.NodesWaitingForTaint);
    }

    [Fact]
    public async Task NoExecute_taints_from_an_earlier_term_are_cleared_when_a_node_is_first_seen()
    {
        AddNode("n1");
        With("n1", n => n.Spec!.Taints = [NewTaint("node.kubernetes.io/not-ready", "NoExecute", _t0), NewTaint("example.com/evict", "NoExecute")]);

        await SyncAsync("n1");

        Assert.Equal(["example.com/evict:NoExecute"], TaintsOf("n1"));
        Assert.Contains("Normal RegisteredNode Node n1 event: Registered Node n1 in Controller", _events.Lines);
    }

    [Fact]
    public async Task NoExecute_taints_in_a_healthy_zone_come_one_node_per_ten_seconds()
    {
        var nodes = Enumerable.Range(0, 5).Select(i => $"n{i}").ToArray();
        foreach (var n in nodes)
        {
            AddNode(n, zone: "a");
        }

        RenewLease(nodes);
        await SyncAsync(nodes);
        Advance(51);
        RenewLease("n2", "n3", "n4");
        await SyncAsync(nodes);
        await SyncAsync("n0", "n1");
        Assert.Equal(ZoneState.Normal, Assert.Single(_controller.ZoneStates).Value);

        var next = await _controller.TaintingPassAsync(CancellationToken.None);
        Assert.Equal(TimeSpan.FromSeconds(10), next);
        Assert.Contains("node.kubernetes.io/unreachable:NoExecute", TaintsOf("n0"));
        Assert.DoesNotContain("node.kubernetes.io/unreachable:NoExecute", TaintsOf("n1"));

        Advance(9);
        await _controller.TaintingPassAsync(CancellationToken.None);
        Assert.DoesNotContain("node.kubernetes.io/unreachable:NoExecute", TaintsOf("n1"));
        Advance(1);
        Assert.Null(await _controller.TaintingPassAsync(CancellationToken.None));
        Assert.Contains("node.kubernetes.io/unreachable:NoExecute", TaintsOf("n1"));
    }

    [Fact]
    public async Task A_small_partially_disrupted_zone_stops_tainting_while_other_zones_go_on()
    {
        var a = Enumerable.Range(0, 6).Select(i => $"a{i}").ToArray();
        foreach (var n in a)
        {
            AddNode(n, zone: "a");
        }

        AddNode("b0", zone: "b");
        AddNode("b1", zone: "b");
        var all = a.Append("b0").Append("b1").ToArray();
        RenewLease(all);
        await SyncAsync(all);
        Advance(51);
        RenewLease("a4", "a5", "b1");
        await SyncAsync(all);
        await SyncAsync("a0", "a1", "a2", "a3", "b0");

        var states = _controller.ZoneStates;
        Assert.Equal(ZoneState.PartialDisruption, states[":\0:a"]);
        Assert.Equal(ZoneState.Normal, states[":\0:b"]);
        Assert.Null(await _controller.TaintingPassAsync(CancellationToken.None));
        Assert.All(a[..4], n => Assert.DoesNotContain("node.kubernetes.io/unreachable:NoExecute", TaintsOf(n)));
        Assert.Contains("node.kubernetes.io/unreachable:NoExecute", TaintsOf("b0"));
        Assert.Equal(4, _controller.NodesWaitingForTaint);
    }

    [Fact]
    public async Task When_no_node_of_any_zone_is_Ready_no_NoExecute_taint_is_added_and_those_there_are_removed()
    {
        AddNode("n1");
        AddNode("n2");
        RenewLease("n1", "n2");
        await SyncAsync("n1", "n2");
        Advance(51);
        await SyncAsync("n1");
        await SyncAsync("n1");
        await _controller.TaintingPassAsync(CancellationToken.None);
        Assert.Contains("node.kubernetes.io/unreachable:NoExecute", TaintsOf("n1"));

        await SyncAsync("n2", "n2", "n1");

        Assert.Equal(ZoneState.FullDisruption, Assert.Single(_controller.ZoneStates).Value);
        Assert.Null(await _controller.TaintingPassAsync(CancellationToken.None));
        Assert.All(new[] { "n1", "n2" }, n => Assert.DoesNotContain("node.kubernetes.io/unreachable:NoExecute", TaintsOf(n)));

        // One node back: every node gets a fresh grace period from now.
        Advance(30);
        RenewLease("n2");
        PostStatus("n2");
        await SyncAsync("n2");
        Assert.Equal(ZoneState.Normal, Assert.Single(_controller.ZoneStates).Value);
        Assert.Equal(Now, _controller.HealthOf("n1")!.ProbeTimestamp);
    }

    [Fact]
    public async Task Each_sync_arms_the_node_deadline_in_the_queue()
    {
        AddNode("n1");
        RenewLease("n1");
        await SyncAsync("n1");
        Assert.Equal((0, 1), (_controller.Queue.Count, _controller.Queue.DelayedCount));

        Advance(50);
        Assert.Equal(0, _controller.Queue.Count);
        Advance(0.001);
        Assert.Equal(1, _controller.Queue.Count);
    }

    [Fact]
    public async Task Beta_os_and_arch_labels_follow_the_stable_ones()
    {
        AddNode("n1");
        With("n1", n => n.Metadata!.Labels = new Dictionary<string, string>
        {
            ["kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = "arm64",
            ["beta.kubernetes.io/arch"] = "amd64",
        });

        await SyncAsync("n1");

        Assert.Contains("labels n1 beta.kubernetes.io/arch=arm64,beta.kubernetes.io/os=linux", _writer.Writes);
    }

    [Fact]
    public async Task A_deleted_node_is_forgotten()
    {
        AddNode("n1");
        await SyncAsync("n1");
        _nodes.Remove("n1");

        await SyncAsync("n1");

        Assert.Null(_controller.HealthOf("n1"));
        Assert.Contains("Normal RemovingNode Node n1 event: Removing Node n1 from Controller", _events.Lines);
    }
}
