using Korral.Api.Models.AppsV1;
using Korral.Api.Models.CoreV1;
using Korral.Scheduler.Framework;
using Korral.Scheduler.Plugins.PodTopologySpread;
using static Korral.Scheduler.Tests.Plugins.PodTopologySpread.SpreadObjects;

namespace Korral.Scheduler.Tests.Plugins.PodTopologySpread;

public sealed class PodTopologySpreadScoreTests
{
    /// <summary>
    /// One case: the incoming pod, the cluster, the feasible nodes (null: all), and their normalized scores (null: PreScore
    /// skips).
    /// </summary>
    public sealed record ScoreCase(string Name, PodInfo Pod, NodeInfo[] Nodes, long[]? Expected, string[]? Feasible = null, SpreadListers? Listers = null)
    {
        public override string ToString() => Name;
    }

    private static Service WebService => new() { Metadata = Meta("web"), Spec = new ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "web" } } };

    private static ReplicaSet WebReplicaSet => new()
    {
        Metadata = Meta("web-rs"),
        Spec = new ReplicaSetSpec { Selector = new() { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } } },
    };

    public static TheoryData<ScoreCase> Cases => new()
    {
        // Zones z1, z2, z3: weight ln 5. Raw n1 = n2 = round(2 × 1.609) = 3, n3 = 2, n4 = 0; normalized 100 × (3 + 0 − s) / 3.
        new("fewer matching pods in the zone, higher score",
            Pod(constraints: [Constraint(Zone, when: "ScheduleAnyway")]),
            [N("n1", "z1", Web(), Web()), N("n2", "z1"), N("n3", "z2", Web()), N("n4", "z3")],
            [0, 0, 33, 100]),
        new("feasible nodes without the topology key score 0",
            Pod(constraints: [Constraint(Zone, when: "ScheduleAnyway")]),
            [N("n1", "z1", Web(), Web()), N("n2", "z1"), N("n3", "z2", Web()), N("n4", "z3"), N("n5", null)],
            [0, 0, 33, 100, 0]),
        // Hostname weight ln(3 + 2); raw n1 = round(2 × 1.609 + 1) = 4, n2 = round(2.609) = 3, n3 = 1.
        new("hostname spreading counts pods per node, with maxSkew − 1 added",
            Pod(constraints: [Constraint(Hostname, maxSkew: 2, when: "ScheduleAnyway")]),
            [N("n1", "z1", Web(), Web()), N("n2", "z1", Web()), N("n3", "z2")],
            [25, 50, 100]),
        // Only z1 and z2 are domains of feasible nodes (weight ln 4); n1's pods still count for z1: raw n2 = 3, n3 = 1.
        new("pods on infeasible nodes count towards the domains of feasible ones",
            Pod(constraints: [Constraint(Zone, when: "ScheduleAnyway")]),
            [N("n1", "z1", Web(), Web()), N("n2", "z1"), N("n3", "z2", Web())],
            [33, 100],
            Feasible: ["n2", "n3"]),
        new("no matching pods anywhere: every node 100",
            Pod(constraints: [Constraint(Zone, when: "ScheduleAnyway")]),
            [N("n1", "z1", Web("db")), N("n3", "z2")],
            [100, 100]),
        new("hard constraints do not score",
            Pod(constraints: [Constraint(Zone)]),
            [N("n1", "z1", Web()), N("n3", "z2")],
            null),
        // System defaults: hostname (maxSkew 3, weight ln 5) + zone (maxSkew 5, zones z1 z2: weight ln 4).
        // Raw n1 = 2 × 1.609 + 2 + 2 × 1.386 + 4 = 12, n2 = 2 + 2 × 1.386 + 4 = 9, n3 = 1.609 + 2 + 1.386 + 4 = 9.
        new("system defaults take the selector of the services that select the pod",
            Pod(),
            [N("n1", "z1", Web(), Web()), N("n2", "z1"), N("n3", "z2", Web())],
            [75, 100, 100],
            Listers: Listers(services: [WebService])),
        new("system defaults take the selector of the controlling replica set",
            Pod(owner: ControlledBy("apps/v1", "ReplicaSet", "web-rs")),
            [N("n1", "z1", Web(), Web()), N("n2", "z1"), N("n3", "z2", Web())],
            [75, 100, 100],
            Listers: Listers(replicaSets: [WebReplicaSet])),
        // Without zones, nodes are not ignored: hostname weight ln 4, raw n1 = 2 × 1.386 + 2 = 5, n2 = 2.
        new("system defaults still spread by hostname on nodes without zones",
            Pod(),
            [N("n1", null, Web(), Web()), N("n2", null)],
            [40, 100],
            Listers: Listers(services: [WebService])),
        new("system defaults do not apply to pods nothing selects",
            Pod(),
            [N("n1", "z1", Web()), N("n3", "z2")],
            null,
            Listers: Listers(services: [new Service { Metadata = Meta("api"), Spec = new ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "api" } } }])),
        new("pods with constraints of their own get no defaults",
            Pod(constraints: [Constraint(Zone)]),
            [N("n1", "z1", Web()), N("n3", "z2")],
            null,
            Listers: Listers(services: [WebService])),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Score(ScoreCase c)
    {
        var snapshot = new Snapshot(c.Nodes);
        var feasible = c.Feasible is null ? c.Nodes : c.Nodes.Where(n => c.Feasible.Contains(n.Name)).ToArray();
        var plugin = new PodTopologySpreadPlugin(() => snapshot, listers: c.Listers);
        var state = new CycleState();

        var preScore = plugin.PreScore(state, c.Pod, feasible);

        if (c.Expected is null)
        {
            Assert.Equal(StatusCode.Skip, preScore.Code);
            return;
        }

        Assert.Equal(StatusCode.Success, preScore.Code);
        var scores = feasible.Select(n =>
        {
            var (score, status) = plugin.Score(state, c.Pod, n);
            Assert.True(status.IsSuccess, status.ToString());
            return new NodeScore(n.Name, score);
        }).ToArray();
        Assert.True(plugin.NormalizeScore(state, c.Pod, scores).IsSuccess);
        Assert.Equal(c.Expected, scores.Select(s => s.Score));
    }

    [Fact]
    public void Raw_scores_are_rounded_sums_of_weighted_counts_and_maxSkew_minus_one()
    {
        // Three zones: weight ln(3 + 2) = 1.609; 3 pods: 4.828, and maxSkew 2 adds 1: 5.828 → 6. An empty zone: 0 + 1.
        var snapshot = new Snapshot([N("n1", "z1", Web(), Web(), Web()), N("n2", "z2"), N("n3", "z3")]);
        var plugin = new PodTopologySpreadPlugin(() => snapshot);
        var pod = Pod(constraints: [Constraint(Zone, maxSkew: 2, when: "ScheduleAnyway")]);
        var state = new CycleState();

        plugin.PreScore(state, pod, snapshot.Nodes);

        Assert.Equal(6, plugin.Score(state, pod, snapshot.Get("n1")!).Score);
        Assert.Equal(1, plugin.Score(state, pod, snapshot.Get("n2")!).Score);
    }

    [Fact]
    public void PreScore_skips_an_empty_cluster_and_reports_selectors_that_do_not_parse()
    {
        var bad = Constraint(Zone, when: "ScheduleAnyway", selector: new() { MatchExpressions = [new() { Key = "app", Operator = "In" }] });
        var empty = new PodTopologySpreadPlugin(() => new Snapshot());
        var snapshot = new Snapshot([N("n1", "z1")]);
        var plugin = new PodTopologySpreadPlugin(() => snapshot);

        var skipped = empty.PreScore(new CycleState(), Pod(constraints: [bad]), []);
        var failed = plugin.PreScore(new CycleState(), Pod(constraints: [bad]), snapshot.Nodes);

        Assert.Equal(StatusCode.Skip, skipped.Code);
        Assert.Equal(StatusCode.Error, failed.Code);
        Assert.StartsWith("calculating preScoreState: obtaining pod's soft topology spread constraints: ", failed.Message);
    }
}
