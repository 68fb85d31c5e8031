using Korral.Scheduler.Framework;
using Korral.Scheduler.Plugins.InterPodAffinity;
using static Korral.Scheduler.Tests.Plugins.InterPodAffinity.AffinityObjects;

namespace Korral.Scheduler.Tests.Plugins.InterPodAffinity;

public sealed class InterPodAffinityScoreTests
{
    /// <summary>One case: the incoming pod, the cluster (every node feasible), and the normalized scores (null: PreScore skips).</summary>
    public sealed record ScoreCase(string Name, PodInfo Pod, NodeInfo[] Nodes, long[]? Expected, InterPodAffinityArgs? Args = null)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<ScoreCase> Cases => new()
    {
        new("preferred affinity favours the zone of a matching pod",
            Pod("p", "db", affinity: Affinity(preferred: [Weighted(10, Term(Zone, "web"))])),
            [Node("n1", "z1", Pod("w", "web")), Node("n2", "z1"), Node("n3", "z2")],
            [100, 100, 0]),
        new("preferred anti-affinity disfavours the node of a matching pod",
            Pod("p", "db", affinity: Affinity(preferredAnti: [Weighted(5, Term(Hostname, "web"))])),
            [Node("n1", "z1", Pod("w", "web")), Node("n2", "z1"), Node("n3", "z2")],
            [0, 100, 100]),
        new("weights add up per domain and scale between the lowest and highest",
            Pod("p", "db", affinity: Affinity(preferred: [Weighted(10, Term(Zone, "web")), Weighted(30, Term(Hostname, "cache"))])),
            [Node("n1", "z1", Pod("w", "web")), Node("n2", "z1", Pod("c", "cache")), Node("n3", "z2", Pod("c2", "cache")), Node("n4", "z3")],
            // Raw: n1 10, n2 10 + 30, n3 30, n4 0.
            [25, 100, 75, 0]),
        new("existing pods' required affinity (weight 1) and preferred anti-affinity towards the incoming pod count",
            Pod("p", "web"),
            [
                Node("n1", "z1"),
                Node("n2", "z1", Pod("a", "api", affinity: Affinity(preferredAnti: [Weighted(7, Term(Hostname, "web"))]))),
                Node("n3", "z2", Pod("b", "batch", affinity: Affinity(required: [Term(Zone, "web")]))),
            ],
            // Raw: n1 0, n2 -7, n3 1: min -7, max 1.
            [87, 0, 100]),
        new("existing pods' preferred affinity towards the incoming pod",
            Pod("p", "web"),
            [Node("n1", "z1", Pod("a", "api", affinity: Affinity(preferred: [Weighted(50, Term(Zone, "web"))]))), Node("n2", "z1"), Node("n3", "z2")],
            [100, 100, 0]),
        new("nothing matches: skip",
            Pod("p", "db", affinity: Affinity(preferred: [Weighted(10, Term(Zone, "web"))])),
            [Node("n1", "z1", Pod("x", "other", affinity: Affinity(preferred: [Weighted(10, Term(Zone, "nothing"))]))), Node("n2", "z2")],
            null),
        new("matches on nodes without the topology key do not count",
            Pod("p", "db", affinity: Affinity(preferred: [Weighted(10, Term(Zone, "web"))])),
            [Node("n1", null, Pod("w", "web")), Node("n2", "z2")],
            null),
        new("a hard pod affinity weight of 0 ignores existing pods' required affinity",
            Pod("p", "web"),
            [Node("n1", "z1", Pod("b", "batch", affinity: Affinity(required: [Term(Zone, "web")]))), Node("n2", "z2")],
            null,
            new InterPodAffinityArgs { HardPodAffinityWeight = 0 }),
        new("existing pods' preferred terms can be ignored for pods without preferred terms",
            Pod("p", "web"),
            [Node("n1", "z1", Pod("a", "api", affinity: Affinity(preferred: [Weighted(50, Term(Zone, "web"))]))), Node("n2", "z2")],
            null,
            new InterPodAffinityArgs { IgnorePreferredTermsOfExistingPods = true }),
        new("equal raw scores normalize to 0",
            Pod("p", "db", affinity: Affinity(preferred: [Weighted(10, Term(Zone, "web"))])),
            [Node("n1", "z1", Pod("w", "web")), Node("n2", "z1")],
            [0, 0]),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Score(ScoreCase c)
    {
        var snapshot = new Snapshot(c.Nodes);
        var plugin = new InterPodAffinityPlugin(() => snapshot, Namespaces(), c.Args);
        var state = new CycleState();

        var preScore = plugin.PreScore(state, c.Pod, c.Nodes);

        if (c.Expected is null)
        {
            Assert.Equal(StatusCode.Skip, preScore.Code);
            return;
        }

        Assert.Equal(StatusCode.Success, preScore.Code);
        var scores = c.Nodes.Select(n =>
        {
            var (score, status) = plugin.Score(state, c.Pod, n);
            Assert.True(status.IsSuccess, status.ToString());
            return new NodeScore(n.Name, score);
        }).ToArray();
        Assert.True(plugin.NormalizeScore(state, c.Pod, scores).IsSuccess);
        Assert.Equal(c.Expected, scores.Select(s => s.Score));
    }

    [Fact]
    public void Raw_scores_are_positive_for_affinity_and_negative_for_anti_affinity()
    {
        var snapshot = new Snapshot([Node("n1", "z1", Pod("w", "web"), Pod("c", "cache"))]);
        var plugin = new InterPodAffinityPlugin(() => snapshot, Namespaces());
        var pod = Pod("p", "db", affinity: Affinity(preferred: [Weighted(10, Term(Zone, "web"))], preferredAnti: [Weighted(25, Term(Hostname, "cache"))]));
        var state = new CycleState();

        plugin.PreScore(state, pod, snapshot.Nodes);

        Assert.Equal(-15, plugin.Score(state, pod, snapshot.Get("n1")!).Score);
    }

    [Fact]
    public void Preferred_namespace_selectors_are_resolved_through_the_namespace_cache()
    {
        var snapshot = new Snapshot([Node("n1", "z1", Pod("w", "web", ns: "team-a")), Node("n2", "z2", Pod("w", "web", ns: "team-b"))]);
        var namespaces = Namespaces(("team-a", new() { ["team"] = "a" }), ("team-b", new() { ["team"] = "b" }));
        var plugin = new InterPodAffinityPlugin(() => snapshot, namespaces);
        var pod = Pod("p", "db", affinity: Affinity(preferred: [Weighted(10, Term(Zone, "web", namespaceSelector: Selector(("team", "a"))))]));
        var state = new CycleState();

        plugin.PreScore(state, pod, snapshot.Nodes);

        Assert.Equal(10, plugin.Score(state, pod, snapshot.Get("n1")!).Score);
        Assert.Equal(0, plugin.Score(state, pod, snapshot.Get("n2")!).Score);
    }

    [Fact]
    public void Score_without_PreScore_state_is_an_error()
    {
        var plugin = new InterPodAffinityPlugin(() => new Snapshot(), Namespaces());

        var (_, status) = plugin.Score(new CycleState(), Pod("p"), Node("n1"));

        Assert.Equal(StatusCode.Error, status.Code);
    }
}
