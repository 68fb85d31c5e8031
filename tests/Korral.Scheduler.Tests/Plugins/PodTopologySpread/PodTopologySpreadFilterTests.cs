using Korral.Api.Models.CoreV1;
using Korral.Scheduler.Framework;
using Korral.Scheduler.Plugins.PodTopologySpread;
using static Korral.Scheduler.Tests.Plugins.PodTopologySpread.SpreadObjects;

namespace Korral.Scheduler.Tests.Plugins.PodTopologySpread;

public sealed class PodTopologySpreadFilterTests
{
    /// <summary>One case: the incoming pod, the cluster, and per node the outcome: ok, skew, or label (missing topology label).</summary>
    public sealed record FilterCase(string Name, PodInfo Pod, NodeInfo[] Nodes, string Expected)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<FilterCase> Cases => new()
    {
        new("a zone with more matching pods than maxSkew allows is refused",
            Pod(constraints: [Constraint(Zone)]),
            [N("n1", "z1", Web(), Web()), N("n2", "z1"), N("n3", "z2", Web()), N("n4", "z2")],
            "n1=skew n2=skew n3=ok n4=ok"),
        new("a node without the topology label is refused as unresolvable",
            Pod(constraints: [Constraint(Zone)]),
            [N("n1", "z1"), N("n5", null)],
            "n1=ok n5=label"),
        new("a pod its own selector does not match does not add to the skew",
            Pod("db", constraints: [Constraint(Zone)]),
            [N("n1", "z1", Web(), Web()), N("n3", "z2", Web())],
            "n1=ok n3=ok"),
        new("hostname spreading",
            Pod(constraints: [Constraint(Hostname)]),
            [N("n1", "z1", Web()), N("n2", "z1"), N("n3", "z2")],
            "n1=skew n2=ok n3=ok"),
        new("larger maxSkew",
            Pod(constraints: [Constraint(Hostname, maxSkew: 2)]),
            [N("n1", "z1", Web(), Web()), N("n2", "z1", Web()), N("n3", "z2")],
            "n1=skew n2=ok n3=ok"),
        new("fewer domains than minDomains make the global minimum 0",
            Pod(constraints: [Constraint(Zone, minDomains: 3)]),
            [N("n1", "z1", Web()), N("n3", "z2", Web())],
            "n1=skew n3=skew"),
        new("enough domains for minDomains keep the real minimum",
            Pod(constraints: [Constraint(Zone, minDomains: 2)]),
            [N("n1", "z1", Web()), N("n3", "z2", Web())],
            "n1=ok n3=ok"),
        new("every constraint must hold",
            Pod(constraints: [Constraint(Zone, maxSkew: 5), Constraint(Hostname)]),
            [N("n1", "z1", Web()), N("n2", "z1"), N("n3", "z2", Web(), Web())],
            "n1=skew n2=ok n3=skew"),
        new("nodeAffinityPolicy Honor (default) leaves out nodes the pod may not go to",
            Pod(constraints: [Constraint(Zone)], nodeSelector: new() { ["disk"] = "ssd" }),
            [Node("n1", "z1", new() { ["disk"] = "ssd" }), N("n2", "z1", Web(), Web()), Node("n3", "z2", new() { ["disk"] = "ssd" }, pods: [Web()])],
            "n1=ok n2=ok n3=skew"),
        new("nodeAffinityPolicy Ignore counts every node",
            Pod(constraints: [Constraint(Zone, nodeAffinityPolicy: "Ignore")], nodeSelector: new() { ["disk"] = "ssd" }),
            [Node("n1", "z1", new() { ["disk"] = "ssd" }), N("n2", "z1", Web(), Web()), Node("n3", "z2", new() { ["disk"] = "ssd" }, pods: [Web()])],
            "n1=skew n2=skew n3=ok"),
        new("nodeTaintsPolicy Ignore (default) counts tainted nodes",
            Pod(constraints: [Constraint(Zone)]),
            [N("n1", "z1", Web()), Node("n2", "z2", taints: [NoSchedule("dedicated")])],
            "n1=skew n2=ok"),
        new("nodeTaintsPolicy Honor leaves out nodes with untolerated taints",
            Pod(constraints: [Constraint(Zone, nodeTaintsPolicy: "Honor")]),
            [N("n1", "z1", Web()), Node("n2", "z2", taints: [NoSchedule("dedicated")])],
            "n1=ok n2=ok"),
        new("nodeTaintsPolicy Honor counts nodes whose taints the pod tolerates",
            Pod(constraints: [Constraint(Zone, nodeTaintsPolicy: "Honor")], tolerations: [new Toleration { Key = "dedicated", Operator = "Exists" }]),
            [N("n1", "z1", Web()), Node("n2", "z2", taints: [NoSchedule("dedicated")])],
            "n1=skew n2=ok"),
        new("nodeTaintsPolicy Honor ignores PreferNoSchedule taints",
            Pod(constraints: [Constraint(Zone, nodeTaintsPolicy: "Honor")]),
            [N("n1", "z1", Web()), Node("n2", "z2", taints: [new Taint { Key = "soft", Effect = "PreferNoSchedule" }])],
            "n1=skew n2=ok"),
        new("pods of other namespaces and terminating pods do not count",
            Pod(constraints: [Constraint(Zone)]),
            [N("n1", "z1", Web(ns: "other"), Web(terminating: true)), N("n3", "z2")],
            "n1=ok n3=ok"),
        new("matchLabelKeys narrows the selector to the pod's own values",
            Pod(constraints: [Constraint(Zone, matchLabelKeys: ["rev"])], labels: new() { ["rev"] = "2" }),
            [N("n1", "z1", Web(labels: new() { ["rev"] = "1" }), Web(labels: new() { ["rev"] = "1" })), N("n3", "z2", Web())],
            "n1=ok n3=ok"),
        new("matchLabelKeys the pod has no label for are ignored",
            Pod(constraints: [Constraint(Zone, matchLabelKeys: ["rev"])]),
            [N("n1", "z1", Web(labels: new() { ["rev"] = "1" }), Web(labels: new() { ["rev"] = "1" })), N("n3", "z2", Web())],
            "n1=skew n3=ok"),
        new("a constraint without a label selector matches no pod",
            Pod(constraints: [Constraint(Zone, noSelector: true)]),
            [N("n1", "z1", Web(), Web()), N("n3", "z2")],
            "n1=ok n3=ok"),
        new("an empty label selector counts no existing pods, only the pod itself",
            Pod(constraints: [Constraint(Zone, selector: new())]),
            [N("n1", "z1", Web(), Web()), N("n3", "z2")],
            "n1=ok n3=ok"),
        new("a domain the pod may not enter counts as empty",
            Pod(constraints: [Constraint(Zone)], nodeSelector: new() { ["disk"] = "ssd" }),
            [Node("n1", "z1", new() { ["disk"] = "ssd" }, pods: [Web()]), N("n3", "z2")],
            "n1=ok n3=ok"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Filter(FilterCase c)
    {
        var snapshot = new Snapshot(c.Nodes);
        var plugin = new PodTopologySpreadPlugin(() => snapshot);
        var state = new CycleState();

        var (result, preFilter) = plugin.PreFilter(state, c.Pod, snapshot);

        Assert.Null(result);
        Assert.Equal(StatusCode.Success, preFilter.Code);
        Assert.Equal(c.Expected, string.Join(' ', c.Nodes.Select(n => $"{n.Name}={Outcome(plugin.Filter(state, c.Pod, n))}")));
    }

    [Fact]
    public void PreFilter_skips_pods_without_hard_constraints()
    {
        var snapshot = new Snapshot([N("n1", "z1", Web())]);
        var plugin = new PodTopologySpreadPlugin(() => snapshot, listers: Listers(services: [new Service { Metadata = Meta("web"), Spec = new ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "web" } } }]));

        // Soft constraints only, and no constraints (the system defaults are all ScheduleAnyway).
        var (_, soft) = plugin.PreFilter(new CycleState(), Pod(constraints: [Constraint(Zone, when: "ScheduleAnyway")]), snapshot);
        var (_, none) = plugin.PreFilter(new CycleState(), Pod(), snapshot);

        Assert.Equal(StatusCode.Skip, soft.Code);
        Assert.Equal(StatusCode.Skip, none.Code);
    }

    [Fact]
    public void Hard_default_constraints_apply_to_pods_without_constraints()
    {
        var snapshot = new Snapshot([N("n1", "z1", Web()), N("n3", "z2")]);
        var args = new PodTopologySpreadArgs { SystemDefaulting = false, DefaultConstraints = [Constraint(Zone, noSelector: true)] };
        var services = new Service { Metadata = Meta("web"), Spec = new ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "web" } } };
        var plugin = new PodTopologySpreadPlugin(() => snapshot, args, Listers(services: [services]));
        var state = new CycleState();
        var pod = Pod();

        var (_, status) = plugin.PreFilter(state, pod, snapshot);

        Assert.Equal(StatusCode.Success, status.Code);
        Assert.Equal("skew", Outcome(plugin.Filter(state, pod, snapshot.Get("n1")!)));
        Assert.Equal("ok", Outcome(plugin.Filter(state, pod, snapshot.Get("n3")!)));
    }

    [Fact]
    public void PreFilter_reports_a_selector_that_does_not_parse_as_an_error()
    {
        var bad = Constraint(Zone, selector: new() { MatchExpressions = [new() { Key = "app", Operator = "Bogus" }] });
        var snapshot = new Snapshot([N("n1", "z1")]);
        var plugin = new PodTopologySpreadPlugin(() => snapshot);

        var (_, status) = plugin.PreFilter(new CycleState(), Pod(constraints: [bad]), snapshot);

        Assert.Equal(StatusCode.Error, status.Code);
        Assert.StartsWith("get constraints from pod: obtaining pod's hard topology spread constraints: ", status.Message);
    }

    [Fact]
    public void Reasons_and_codes_are_upstreams()
    {
        var snapshot = new Snapshot([N("n1", "z1", Web(), Web()), N("n3", "z2"), N("n5", null)]);
        var plugin = new PodTopologySpreadPlugin(() => snapshot);
        var state = new CycleState();
        var pod = Pod(constraints: [Constraint(Zone)]);
        plugin.PreFilter(state, pod, snapshot);

        var skew = plugin.Filter(state, pod, snapshot.Get("n1")!);
        var label = plugin.Filter(state, pod, snapshot.Get("n5")!);

        Assert.Equal((StatusCode.Unschedulable, "node(s) didn't match pod topology spread constraints"), (skew.Code, skew.Message));
        Assert.Equal((StatusCode.UnschedulableAndUnresolvable, "node(s) didn't match pod topology spread constraints (missing required label)"), (label.Code, label.Message));
    }

    [Fact]
    public void RemovePod_and_AddPod_change_a_clone_for_preemption_and_leave_the_original()
    {
        var snapshot = new Snapshot([N("n1", "z1", Web(), Web()), N("n2", "z1"), N("n3", "z2", Web())]);
        var n1 = snapshot.Get("n1")!;
        var n3 = snapshot.Get("n3")!;
        var plugin = new PodTopologySpreadPlugin(() => snapshot);
        var pod = Pod(constraints: [Constraint(Zone)]);
        var state = new CycleState();
        plugin.PreFilter(state, pod, snapshot);

        var oneVictim = state.Clone();
        plugin.RemovePod(oneVictim, pod, n1.Pods[0], n1);
        var bothVictims = oneVictim.Clone();
        plugin.RemovePod(bothVictims, pod, n1.Pods[1], n1);
        var otherNamespace = state.Clone();
        plugin.AddPod(otherNamespace, pod, Web(ns: "other"), n3);
        var added = state.Clone();
        plugin.AddPod(added, pod, Web(), n3);

        // z1 2 → 1: both zones even. z1 → 0: the minimum drops, z2 with 1 is now too full. z2 1 → 2: even again.
        Assert.Equal("n1=ok n3=ok", Outcomes(plugin, oneVictim, pod, n1, n3));
        Assert.Equal("n1=ok n3=skew", Outcomes(plugin, bothVictims, pod, n1, n3));
        Assert.Equal("n1=skew n3=ok", Outcomes(plugin, otherNamespace, pod, n1, n3));
        Assert.Equal("n1=ok n3=ok", Outcomes(plugin, added, pod, n1, n3));
        Assert.Equal("n1=skew n3=ok", Outcomes(plugin, state, pod, n1, n3));
    }

    [Fact]
    public void Filter_without_PreFilter_state_is_an_error()
    {
        var plugin = new PodTopologySpreadPlugin(() => new Snapshot());

        var status = plugin.Filter(new CycleState(), Pod(), N("n1", "z1"));

        Assert.Equal((StatusCode.Error, "reading \"PreFilterPodTopologySpread\" from cycleState: not found"), (status.Code, status.Message));
    }

    [Fact]
    public void Filter_does_not_allocate()
    {
        // Filter runs for thousands of nodes per pod: answers are shared, counts are only read.
        var snapshot = new Snapshot([N("n1", "z1", Web(), Web()), N("n2", "z1"), N("n3", "z2", Web()), N("n5", null)]);
        var plugin = new PodTopologySpreadPlugin(() => snapshot);
        var pod = Pod(constraints: [Constraint(Zone), Constraint(Hostname, maxSkew: 2)]);
        var state = new CycleState();
        plugin.PreFilter(state, pod, snapshot);
        var outcomes = snapshot.Nodes.Select(n => Outcome(plugin.Filter(state, pod, n))).ToArray();

        var nodes = snapshot.Nodes.ToArray();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            foreach (var node in nodes)
            {
                plugin.Filter(state, pod, node);
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(["skew", "skew", "ok", "label"], outcomes);
    }

    [Fact]
    public void Events_are_upstreams()
    {
        var plugin = new PodTopologySpreadPlugin(() => new Snapshot());

        Assert.Equal(
            [
                new ClusterEvent(EventResource.AssignedPod, ActionType.Add | ActionType.UpdatePodLabel | ActionType.Delete),
                new ClusterEvent(EventResource.UnscheduledPod, ActionType.UpdatePodTolerations),
                new ClusterEvent(EventResource.Node, ActionType.Add | ActionType.Delete | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint),
            ],
            plugin.EventsToRegister());
        Assert.Equal("PodTopologySpread", plugin.Name);
        Assert.Same(plugin, ((IPreFilterPlugin)plugin).Extensions);
    }

    private static string Outcomes(PodTopologySpreadPlugin plugin, CycleState state, PodInfo pod, params NodeInfo[] nodes) =>
        string.Join(' ', nodes.Select(n => $"{n.Name}={Outcome(plugin.Filter(state, pod, n))}"));

    private static string Outcome(Status status) => (status.Code, status.Message) switch
    {
        (StatusCode.Success, _) => "ok",
        (StatusCode.Unschedulable, PodTopologySpreadPlugin.ErrReasonConstraintsNotMatch) => "skew",
        (StatusCode.UnschedulableAndUnresolvable, PodTopologySpreadPlugin.ErrReasonNodeLabelNotMatch) => "label",
        _ => status.ToString(),
    };
}
