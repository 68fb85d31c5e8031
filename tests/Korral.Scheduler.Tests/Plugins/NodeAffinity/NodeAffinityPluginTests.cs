using Korral.Api.Models.CoreV1;
using Korral.Scheduler.Framework;
using Korral.Scheduler.Plugins.NodeAffinity;
using CoreV1 = Korral.Api.Models.CoreV1;
using static Korral.Scheduler.Tests.Plugins.NodeAffinity.NodeSelectorMatcherTests;

namespace Korral.Scheduler.Tests.Plugins.NodeAffinity;

public sealed class NodeAffinityPluginTests
{
    private static PodInfo PodWith(Dictionary<string, string>? nodeSelector = null, NodeSelectorTerm[]? required = null, PreferredSchedulingTerm[]? preferred = null) =>
        Objects.PodInfo(spec: s =>
        {
            s.NodeSelector = nodeSelector;
            if (required is not null || preferred is not null)
            {
                s.Affinity = new Affinity
                {
                    NodeAffinity = new CoreV1.NodeAffinity
                    {
                        RequiredDuringSchedulingIgnoredDuringExecution = required is null ? null : new NodeSelector { NodeSelectorTerms = required },
                        PreferredDuringSchedulingIgnoredDuringExecution = preferred,
                    },
                };
            }
        });

    public static TheoryData<string, PodInfo, bool> FilterCases => new()
    {
        { "nodeSelector matches", PodWith(Objects.Labels(("zone", "a"))), true },
        { "nodeSelector value differs", PodWith(Objects.Labels(("zone", "b"))), false },
        { "nodeSelector label missing", PodWith(Objects.Labels(("zone", "a"), ("rack", "1"))), false },
        { "empty nodeSelector matches all", PodWith([]), true },
        { "required term matches", PodWith(required: [Term([Expr("zone", "In", "a")])]), true },
        { "required term does not", PodWith(required: [Term([Expr("zone", "NotIn", "a")])]), false },
        { "both must hold", PodWith(Objects.Labels(("zone", "a")), [Term([Expr("disk", "Exists")])]), false },
        { "invalid required term does not match", PodWith(required: [Term([Expr("zone", "Gt", "x")])]), false },
        { "empty required term list matches nothing", PodWith(required: []), false },
    };

    [Theory]
    [MemberData(nameof(FilterCases))]
    public void Filter_requires_the_node_selector_and_a_required_term(string name, PodInfo pod, bool fits)
    {
        var node = Objects.NodeInfo(Objects.Node("n1", labels: Objects.Labels(("zone", "a"))));
        var plugin = new NodeAffinityPlugin();
        var state = new CycleState();
        var (_, preFilter) = plugin.PreFilter(state, pod, new Snapshot([node]));
        Assert.True(preFilter.IsSuccess, preFilter.ToString());

        var status = plugin.Filter(state, pod, node);

        Assert.True(fits == status.IsSuccess, name);
        if (!fits)
        {
            Assert.Equal(StatusCode.UnschedulableAndUnresolvable, status.Code);
            Assert.Equal("node(s) didn't match Pod's node affinity/selector", status.Message);
        }
    }

    [Fact]
    public void Filter_without_PreFilter_state_compiles_the_pod_itself()
    {
        var status = new NodeAffinityPlugin().Filter(new CycleState(), PodWith(Objects.Labels(("zone", "b"))), Objects.NodeInfo(Objects.Node("n1")));

        Assert.Equal(StatusCode.UnschedulableAndUnresolvable, status.Code);
    }

    public static TheoryData<string, PodInfo, StatusCode, string[]?> PreFilterCases => new()
    {
        { "nothing to check", PodWith(), StatusCode.Skip, null },
        { "only preferred terms", PodWith(preferred: [new PreferredSchedulingTerm { Weight = 1, Preference = Term([Expr("a", "Exists")]) }]), StatusCode.Skip, null },
        { "nodeSelector only: every node", PodWith(Objects.Labels(("zone", "a"))), StatusCode.Success, null },
        { "label terms: every node", PodWith(required: [Term([Expr("zone", "In", "a")])]), StatusCode.Success, null },
        { "names pinned", PodWith(required: [Term(fields: [Expr("metadata.name", "In", "n1")])]), StatusCode.Success, ["n1"] },
        { "names unioned over terms", PodWith(required: [Term(fields: [Expr("metadata.name", "In", "n1")]), Term(fields: [Expr("metadata.name", "In", "n2")])]), StatusCode.Success, ["n1", "n2"] },
        { "names intersected within a term", PodWith(required: [Term(fields: [Expr("metadata.name", "In", "n1", "n2"), Expr("metadata.name", "In", "n2", "n3")])]), StatusCode.Success, ["n2"] },
        { "a term without names frees all", PodWith(required: [Term(fields: [Expr("metadata.name", "In", "n1")]), Term([Expr("zone", "In", "a")])]), StatusCode.Success, null },
        { "NotIn does not pin", PodWith(required: [Term(fields: [Expr("metadata.name", "NotIn", "n1")])]), StatusCode.Success, null },
        { "conflicting names", PodWith(required: [Term(fields: [Expr("metadata.name", "In", "n1"), Expr("metadata.name", "In", "n2")])]), StatusCode.UnschedulableAndUnresolvable, null },
    };

    [Theory]
    [MemberData(nameof(PreFilterCases))]
    public void PreFilter_skips_pods_without_requirements_and_narrows_to_pinned_names(string name, PodInfo pod, StatusCode code, string[]? names)
    {
        var (result, status) = new NodeAffinityPlugin().PreFilter(new CycleState(), pod, new Snapshot());

        Assert.True(code == status.Code, name);
        if (code == StatusCode.UnschedulableAndUnresolvable)
        {
            Assert.Equal("pod affinity terms conflict", status.Message);
        }

        Assert.Equal(names, result?.NodeNames?.Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void Score_sums_matching_preferred_weights_and_normalizes_to_100()
    {
        var pod = PodWith(preferred:
        [
            new PreferredSchedulingTerm { Weight = 20, Preference = Term([Expr("zone", "In", "a")]) },
            new PreferredSchedulingTerm { Weight = 60, Preference = Term([Expr("disk", "In", "ssd")]) },
            new PreferredSchedulingTerm { Weight = 0, Preference = Term([Expr("zone", "Exists")]) },
            new PreferredSchedulingTerm { Weight = 50, Preference = Term() },
        ]);
        var nodes = new[]
        {
            Objects.NodeInfo(Objects.Node("both", labels: Objects.Labels(("zone", "a"), ("disk", "ssd")))),
            Objects.NodeInfo(Objects.Node("zone", labels: Objects.Labels(("zone", "a")))),
            Objects.NodeInfo(Objects.Node("disk", labels: Objects.Labels(("disk", "ssd")))),
            Objects.NodeInfo(Objects.Node("none")),
        };
        var plugin = new NodeAffinityPlugin();
        var state = new CycleState();
        Assert.True(plugin.PreScore(state, pod, nodes).IsSuccess);

        var scores = Objects.ScoreAll(plugin, state, pod, nodes);

        // Raw 80, 20, 60, 0 → scaled so 80 becomes 100 (integer division).
        Assert.Equal(new Dictionary<string, long> { ["both"] = 100, ["zone"] = 25, ["disk"] = 75, ["none"] = 0 }, scores);
    }

    [Fact]
    public void PreScore_skips_pods_without_preferred_terms_and_fails_on_invalid_ones()
    {
        var plugin = new NodeAffinityPlugin();

        Assert.True(plugin.PreScore(new CycleState(), PodWith(Objects.Labels(("a", "b"))), []).IsSkip);

        var invalid = PodWith(preferred: [new PreferredSchedulingTerm { Weight = 1, Preference = Term([Expr("zone", "Foo")]) }]);
        var status = plugin.PreScore(new CycleState(), invalid, []);
        Assert.Equal(StatusCode.Error, status.Code);
        Assert.Equal("\"Foo\" is not a valid node selector operator", status.Message);
    }

    [Fact]
    public void Registers_for_nodes_added_or_relabelled()
    {
        Assert.Equal([new ClusterEvent(EventResource.Node, ActionType.Add | ActionType.UpdateNodeLabel)], new NodeAffinityPlugin().EventsToRegister());
    }
}
