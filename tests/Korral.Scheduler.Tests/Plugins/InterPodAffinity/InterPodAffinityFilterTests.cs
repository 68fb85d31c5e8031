using Korral.Api.Models.CoreV1;
using Korral.Client.Informers;
using Korral.Scheduler.Framework;
using Korral.Scheduler.Plugins.InterPodAffinity;
using static Korral.Scheduler.Tests.Plugins.InterPodAffinity.AffinityObjects;

namespace Korral.Scheduler.Tests.Plugins.InterPodAffinity;

public sealed class InterPodAffinityFilterTests
{
    /// <summary>
    /// One case: the incoming pod, the cluster, and per node the outcome: ok, affinity (unresolvable), anti (the pod's
    /// anti-affinity) or existing (an existing pod's anti-affinity).
    /// </summary>
    public sealed record FilterCase(string Name, PodInfo Pod, NodeInfo[] Nodes, string Expected, Lister<Namespace>? Namespaces = null)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<FilterCase> Cases => new()
    {
        new("affinity to a pod in the zone admits the zone's nodes only",
            Pod("p", "db", affinity: Affinity(required: [Term(Zone, "web")])),
            [Node("n1", "z1", Pod("w", "web")), Node("n2", "z1"), Node("n3", "z2"), Node("n4")],
            "n1=ok n2=ok n3=affinity n4=affinity"),
        new("affinity that no pod satisfies and the pod does not satisfy itself",
            Pod("p", "db", affinity: Affinity(required: [Term(Zone, "web")])),
            [Node("n1", "z1"), Node("n3", "z2")],
            "n1=affinity n3=affinity"),
        new("the first pod of a group with affinity to itself goes anywhere with the topology key",
            Pod("p", "web", affinity: Affinity(required: [Term(Zone, "web")])),
            [Node("n1", "z1", Pod("x", "db")), Node("n3", "z2"), Node("n4")],
            "n1=ok n3=ok n4=affinity"),
        new("a self-affine pod joins the domain where a matching pod already runs",
            Pod("p", "web", affinity: Affinity(required: [Term(Zone, "web")])),
            [Node("n1", "z1"), Node("n2", "z1"), Node("n3", "z2", Pod("w", "web"))],
            "n1=affinity n2=affinity n3=ok"),
        new("pods in other namespaces do not count",
            Pod("p", "db", affinity: Affinity(required: [Term(Zone, "web")])),
            [Node("n1", "z1", Pod("w", "web", ns: "other")), Node("n3", "z2")],
            "n1=affinity n3=affinity"),
        new("a term naming namespaces counts pods there",
            Pod("p", "db", affinity: Affinity(required: [Term(Zone, "web", namespaces: ["other"])])),
            [Node("n1", "z1", Pod("w", "web", ns: "other")), Node("n2", "z1"), Node("n3", "z2")],
            "n1=ok n2=ok n3=affinity"),
        new("a namespace selector is resolved through the namespace cache",
            Pod("p", "db", affinity: Affinity(required: [Term(Zone, "web", namespaceSelector: Selector(("team", "a")))])),
            [Node("n1", "z1", Pod("w", "web", ns: "other")), Node("n3", "z2", Pod("w2", "web", ns: "third"))],
            "n1=ok n3=affinity",
            Namespaces(("other", new() { ["team"] = "a" }), ("third", new() { ["team"] = "b" }))),
        new("affinity needs one pod that matches every term",
            Pod("p", "db", affinity: Affinity(required: [Term(Zone, "web"), new PodAffinityTerm { TopologyKey = Hostname, LabelSelector = Selector(("tier", "front")) }])),
            [
                Node("n1", "z1", Pod("w", "web")),
                Node("n2", "z1", Pod("f", labels: new() { ["tier"] = "front" })),
                Node("n3", "z2", Pod("both", "web", labels: new() { ["tier"] = "front" })),
                Node("n4", "z2"),
            ],
            "n1=affinity n2=affinity n3=ok n4=affinity"),
        new("host-scoped affinity admits the nodes of matching pods only",
            Pod("p", "db", affinity: Affinity(required: [Term(Hostname, "web")])),
            [Node("n1", "z1", Pod("w", "web")), Node("n2", "z1"), Node("n3", "z2", Pod("w2", "web"))],
            "n1=ok n2=affinity n3=ok"),
        new("the first pod of a group with host-scoped affinity to itself goes anywhere",
            Pod("p", "web", affinity: Affinity(required: [Term(Hostname, "web")])),
            [Node("n1", "z1", Pod("x", "db")), Node("n2", "z1")],
            "n1=ok n2=ok"),
        new("a self-affine pod with host-scoped affinity joins a node where a matching pod runs",
            Pod("p", "web", affinity: Affinity(required: [Term(Hostname, "web")])),
            [Node("n1", "z1", Pod("x", "db")), Node("n2", "z1", Pod("w", "web"))],
            "n1=affinity n2=ok"),
        new("host-scoped affinity needs one pod on the node that matches every term",
            Pod("p", "db", affinity: Affinity(required: [Term(Hostname, "web"), new PodAffinityTerm { TopologyKey = Hostname, LabelSelector = Selector(("tier", "front")) }])),
            [
                Node("n1", "z1", Pod("w", "web"), Pod("f", labels: new() { ["tier"] = "front" })),
                Node("n2", "z1", Pod("both", "web", labels: new() { ["tier"] = "front" })),
            ],
            "n1=affinity n2=ok"),
        new("anti-affinity by hostname keeps the pod off the node of a matching pod",
            Pod("p", "web", affinity: Affinity(anti: [Term(Hostname, "web")])),
            [Node("n1", "z1", Pod("w", "web")), Node("n2", "z1"), Node("n3", "z2")],
            "n1=anti n2=ok n3=ok"),
        new("anti-affinity by zone keeps the pod out of the zone; nodes without the key are fine",
            Pod("p", "web", affinity: Affinity(anti: [Term(Zone, "web")])),
            [Node("n1", "z1", Pod("w", "web")), Node("n2", "z1"), Node("n3", "z2"), Node("n4")],
            "n1=anti n2=anti n3=ok n4=ok"),
        new("an existing pod's anti-affinity keeps a matching pod out of its zone",
            Pod("p", "web"),
            [Node("n1", "z1"), Node("n3", "z2", Pod("d", "db", affinity: Affinity(anti: [Term(Zone, "web")]))), Node("n4", "z2")],
            "n1=ok n3=existing n4=existing"),
        new("an existing pod's anti-affinity that selects namespaces by label",
            Pod("p", "web"),
            [Node("n1", "z1", Pod("d", "db", ns: "other", affinity: Affinity(anti: [Term(Hostname, "web", namespaceSelector: Selector(("team", "a")))]))), Node("n2", "z1")],
            "n1=existing n2=ok",
            Namespaces(("default", new() { ["team"] = "a" }))),
        new("an existing pod's anti-affinity towards another namespace's labels does not apply",
            Pod("p", "web"),
            [
                Node("n1", "z1", Pod("d", "db", ns: "other", affinity: Affinity(anti: [Term(Hostname, "web", namespaceSelector: Selector(("team", "a")))]))),
                Node("n2", "z1", Pod("e", "db", affinity: Affinity(anti: [Term(Hostname, "other-app")]))),
            ],
            "n1=ok n2=ok",
            Namespaces(("default", new() { ["team"] = "b" }))),
        new("affinity is checked before the pod's anti-affinity",
            Pod("p", "db", affinity: Affinity(required: [Term(Zone, "web")], anti: [Term(Hostname, "web")])),
            [Node("n1", "z1", Pod("w", "web")), Node("n2", "z1"), Node("n3", "z2")],
            "n1=anti n2=ok n3=affinity"),
        new("the pod's anti-affinity is checked before existing pods' anti-affinity",
            Pod("p", "web", affinity: Affinity(anti: [Term(Hostname, "web")])),
            [Node("n1", "z1", Pod("w", "web", affinity: Affinity(anti: [Term(Hostname, "web")]))), Node("n2", "z1")],
            "n1=anti n2=ok"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Filter(FilterCase c)
    {
        var snapshot = new Snapshot(c.Nodes);
        var plugin = new InterPodAffinityPlugin(() => snapshot, c.Namespaces ?? Namespaces());
        var state = new CycleState();

        var (result, preFilter) = plugin.PreFilter(state, c.Pod, snapshot);

        // Skip: the framework does not run this plugin's Filter, every node passes it.
        Assert.Null(result);
        Assert.True(preFilter.IsSuccess || preFilter.IsSkip, preFilter.ToString());
        var actual = string.Join(' ', c.Nodes.Select(n => $"{n.Name}={(preFilter.IsSkip ? "ok" : Outcome(plugin.Filter(state, c.Pod, n)))}"));
        Assert.Equal(c.Expected, actual);
    }

    [Fact]
    public void PreFilter_skips_pods_without_required_terms_that_no_existing_anti_affinity_matches()
    {
        var snapshot = new Snapshot([Node("n1", "z1", Pod("d", "db", affinity: Affinity(anti: [Term(Zone, "cache")])), Pod("w", "web"))]);
        var plugin = new InterPodAffinityPlugin(() => snapshot, Namespaces());
        var state = new CycleState();

        var (_, status) = plugin.PreFilter(state, Pod("p", "web", affinity: Affinity(preferred: [Weighted(10, Term(Zone, "web"))])), snapshot);

        Assert.Equal(StatusCode.Skip, status.Code);
        Assert.Null(state.Read<object>(InterPodAffinityPlugin.PreFilterStateKey));
    }

    [Fact]
    public void PreFilter_leaves_existing_host_scoped_anti_affinity_to_Filter()
    {
        // Like upstream's host-scoped fast path: such terms are not matched up front, so PreFilter cannot skip.
        var snapshot = new Snapshot([Node("n1", "z1", Pod("d", "db", affinity: Affinity(anti: [Term(Hostname, "cache")]))), Node("n2", "z1")]);
        var plugin = new InterPodAffinityPlugin(() => snapshot, Namespaces());
        var state = new CycleState();
        var pod = Pod("p", "web");

        var (_, status) = plugin.PreFilter(state, pod, snapshot);

        Assert.Equal(StatusCode.Success, status.Code);
        Assert.Equal("ok", Outcome(plugin.Filter(state, pod, snapshot.Get("n1")!)));
    }

    [Fact]
    public void PreFilter_rejects_a_pod_whose_terms_do_not_parse()
    {
        var bad = new PodAffinityTerm
        {
            TopologyKey = Hostname,
            LabelSelector = new() { MatchExpressions = [new() { Key = "app", Operator = "Bogus", Values = ["x"] }] },
        };
        var snapshot = new Snapshot([Node("n1")]);
        var plugin = new InterPodAffinityPlugin(() => snapshot, Namespaces());

        var (_, status) = plugin.PreFilter(new CycleState(), Pod("p", "web", affinity: Affinity(anti: [bad])), snapshot);

        Assert.Equal(StatusCode.UnschedulableAndUnresolvable, status.Code);
        Assert.StartsWith("parsing pod: ", status.Message);
    }

    [Fact]
    public void Filter_without_PreFilter_state_is_an_error()
    {
        var plugin = new InterPodAffinityPlugin(() => new Snapshot(), Namespaces());

        var status = plugin.Filter(new CycleState(), Pod("p"), Node("n1"));

        Assert.Equal(StatusCode.Error, status.Code);
        Assert.Equal("error reading \"PreFilterInterPodAffinity\" from cycleState: not found", status.Message);
    }

    [Fact]
    public void Reasons_and_codes_are_upstreams()
    {
        var web = Pod("w", "web", affinity: Affinity(anti: [Term(Hostname, "web")]));
        var snapshot = new Snapshot([Node("n1", "z1", web), Node("n2")]);
        var plugin = new InterPodAffinityPlugin(() => snapshot, Namespaces());

        Status Run(PodInfo pod, string node)
        {
            var state = new CycleState();
            plugin.PreFilter(state, pod, snapshot);
            return plugin.Filter(state, pod, snapshot.Get(node)!);
        }

        var affinity = Run(Pod("p", "db", affinity: Affinity(required: [Term(Zone, "web")])), "n2");
        var anti = Run(Pod("p", "db", affinity: Affinity(anti: [Term(Hostname, "web")])), "n1");
        var existing = Run(Pod("p", "web"), "n1");

        Assert.Equal((StatusCode.UnschedulableAndUnresolvable, "node(s) didn't match pod affinity rules"), (affinity.Code, affinity.Message));
        Assert.Equal((StatusCode.Unschedulable, "node(s) didn't match pod anti-affinity rules"), (anti.Code, anti.Message));
        Assert.Equal((StatusCode.Unschedulable, "node(s) didn't satisfy existing pods anti-affinity rules"), (existing.Code, existing.Message));
    }

    [Fact]
    public void RemovePod_and_AddPod_change_a_clone_for_preemption_and_leave_the_original()
    {
        // Zone terms are counted in PreFilter state, which the extensions update; hostname terms are read from the
        // what-if copy of the node that preemption filters.
        var victim = Pod("w", "web", affinity: Affinity(anti: [Term(Zone, "web"), Term(Hostname, "web")]));
        var snapshot = new Snapshot([Node("n1", "z1", victim), Node("n2", "z2")]);
        var (n1, n2) = (snapshot.Get("n1")!, snapshot.Get("n2")!);
        var plugin = new InterPodAffinityPlugin(() => snapshot, Namespaces());
        var incoming = Pod("p", "web", affinity: Affinity(anti: [Term(Zone, "web"), Term(Hostname, "web")]));
        var state = new CycleState();
        plugin.PreFilter(state, incoming, snapshot);

        var whatIf = state.Clone();
        var n1WithoutVictim = n1.Clone();
        n1WithoutVictim.RemovePod(n1.Pods[0]);
        var removed = plugin.RemovePod(whatIf, incoming, n1.Pods[0], n1WithoutVictim);
        var n2WithNominated = n2.Clone();
        var nominated = Pod("w2", "web").WithNodeName("n2");
        n2WithNominated.AddPod(nominated);
        var added = plugin.AddPod(whatIf, incoming, nominated, n2WithNominated);

        Assert.True(removed.IsSuccess);
        Assert.True(added.IsSuccess);
        Assert.Equal("ok", Outcome(plugin.Filter(whatIf, incoming, n1WithoutVictim)));
        Assert.Equal("anti", Outcome(plugin.Filter(whatIf, incoming, n2WithNominated)));
        Assert.Equal("anti", Outcome(plugin.Filter(state, incoming, n1)));
        Assert.Equal("ok", Outcome(plugin.Filter(state, incoming, n2)));
    }

    [Fact]
    public void Host_scoped_terms_do_not_apply_to_nodes_without_a_hostname_label()
    {
        var web = Pod("w", "web", affinity: Affinity(anti: [Term(Hostname, "web")])).WithNodeName("bare");
        var bare = new NodeInfo(new Node { Metadata = new() { Name = "bare", Labels = new Dictionary<string, string> { [Zone] = "z1" } } });
        bare.AddPod(web);
        var snapshot = new Snapshot([bare]);
        var plugin = new InterPodAffinityPlugin(() => snapshot, Namespaces());
        var antiPod = Pod("p", "web", affinity: Affinity(anti: [Term(Hostname, "web")]));
        var affinityPod = Pod("q", "web", affinity: Affinity(required: [Term(Hostname, "web")]));
        var (anti, affinity) = (new CycleState(), new CycleState());
        plugin.PreFilter(anti, antiPod, snapshot);
        plugin.PreFilter(affinity, affinityPod, snapshot);

        Assert.Equal("ok", Outcome(plugin.Filter(anti, antiPod, bare)));
        Assert.Equal("affinity", Outcome(plugin.Filter(affinity, affinityPod, bare)));
    }

    [Fact]
    public void AddPod_of_a_pod_with_anti_affinity_towards_the_incoming_pod_blocks_its_domain()
    {
        var snapshot = new Snapshot([Node("n1", "z1"), Node("n2", "z2", Pod("x", "other", affinity: Affinity(anti: [Term(Zone, "nothing")])))]);
        var n1 = snapshot.Get("n1")!;
        var plugin = new InterPodAffinityPlugin(() => snapshot, Namespaces());
        var incoming = Pod("p", "web", affinity: Affinity(required: [Term(Zone, "web")]));
        var state = new CycleState();
        plugin.PreFilter(state, incoming, snapshot);

        plugin.AddPod(state, incoming, Pod("d", "db", affinity: Affinity(anti: [Term(Zone, "web")])), n1);

        Assert.Equal("existing", Outcome(plugin.Filter(state, incoming, n1)));
        Assert.Equal("ok", Outcome(plugin.Filter(state, incoming, snapshot.Get("n2")!)));
    }

    [Fact]
    public void Filter_does_not_allocate()
    {
        // Filter runs for thousands of nodes per pod: answers are shared, counts are only read.
        var snapshot = new Snapshot(
        [
            Node("n1", "z1", Pod("w", "web", affinity: Affinity(anti: [Term(Hostname, "web"), Term(Zone, "db")]))),
            Node("n2", "z1", Pod("c", "cache")),
            Node("n3", "z2"),
            Node("n4"),
        ]);
        var plugin = new InterPodAffinityPlugin(() => snapshot, Namespaces());
        var pod = Pod("p", "web", affinity: Affinity(required: [Term(Zone, "cache")], anti: [Term(Hostname, "web"), Term(Zone, "db")]));
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
        Assert.Equal(["anti", "ok", "affinity", "affinity"], outcomes);
    }

    [Fact]
    public void Events_are_upstreams()
    {
        var plugin = new InterPodAffinityPlugin(() => new Snapshot(), Namespaces());

        Assert.Equal(
            [
                new ClusterEvent(EventResource.AssignedPod, ActionType.Add | ActionType.UpdatePodLabel | ActionType.Delete),
                new ClusterEvent(EventResource.Node, ActionType.Add | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint),
            ],
            plugin.EventsToRegister());
        Assert.Equal("InterPodAffinity", plugin.Name);
        Assert.Same(plugin, ((IPreFilterPlugin)plugin).Extensions);
    }

    private static string Outcome(Status status) => (status.Code, status.Message) switch
    {
        (StatusCode.Success, _) => "ok",
        (StatusCode.UnschedulableAndUnresolvable, InterPodAffinityPlugin.ErrReasonAffinityRulesNotMatch) => "affinity",
        (StatusCode.Unschedulable, InterPodAffinityPlugin.ErrReasonAntiAffinityRulesNotMatch) => "anti",
        (StatusCode.Unschedulable, InterPodAffinityPlugin.ErrReasonExistingAntiAffinityRulesNotMatch) => "existing",
        _ => status.ToString(),
    };
}
