using Korral.Api.Models.CoreV1;
using Korral.Scheduler.Framework;
using Korral.Scheduler.Plugins.TaintToleration;

namespace Korral.Scheduler.Tests.Plugins.TaintToleration;

public sealed class TaintTolerationPluginTests
{
    private static readonly Taint FooBarNoSchedule = Objects.Taint("foo", "bar", "NoSchedule");

    public static TheoryData<string, Taint[], Toleration[], bool> FilterCases => new()
    {
        { "no taints", [], [], true },
        { "untolerated NoSchedule", [FooBarNoSchedule], [], false },
        { "untolerated NoExecute", [Objects.Taint("foo", "bar", "NoExecute")], [], false },
        { "PreferNoSchedule is only a preference", [Objects.Taint("foo", "bar", "PreferNoSchedule")], [], true },
        { "Equal with the same value", [FooBarNoSchedule], [Objects.Toleration("foo", "Equal", "bar", "NoSchedule")], true },
        { "no operator means Equal", [FooBarNoSchedule], [Objects.Toleration("foo", null, "bar", "NoSchedule")], true },
        { "Equal with another value", [FooBarNoSchedule], [Objects.Toleration("foo", "Equal", "baz", "NoSchedule")], false },
        { "Exists ignores the value", [FooBarNoSchedule], [Objects.Toleration("foo", "Exists", null, "NoSchedule")], true },
        { "empty effect matches every effect", [FooBarNoSchedule], [Objects.Toleration("foo", "Exists", null, null)], true },
        { "empty key with Exists tolerates everything", [FooBarNoSchedule, Objects.Taint("x", "", "NoExecute")], [Objects.Toleration(null, "Exists", null, null)], true },
        { "another effect", [FooBarNoSchedule], [Objects.Toleration("foo", "Exists", null, "NoExecute")], false },
        { "another key", [FooBarNoSchedule], [Objects.Toleration("other", "Exists", null, null)], false },
        { "unknown operator tolerates nothing", [FooBarNoSchedule], [Objects.Toleration("foo", "Gt", "bar", null)], false },
        { "every hard taint must be tolerated", [FooBarNoSchedule, Objects.Taint("b", "", "NoSchedule")], [Objects.Toleration("foo", "Exists", null, null)], false },
    };

    [Theory]
    [MemberData(nameof(FilterCases))]
    public void Filter_rejects_nodes_with_untolerated_NoSchedule_or_NoExecute_taints(string name, Taint[] taints, Toleration[] tolerations, bool fits)
    {
        var node = Objects.NodeInfo(Objects.Node("n", taints: taints));
        var pod = Objects.PodInfo(spec: s => s.Tolerations = tolerations);

        var status = new TaintTolerationPlugin().Filter(new CycleState(), pod, node);

        Assert.True(fits == status.IsSuccess, name);
        if (!fits)
        {
            Assert.Equal(StatusCode.UnschedulableAndUnresolvable, status.Code);
            Assert.Equal(["node(s) had untolerated taint(s)"], status.Reasons);
        }
    }

    public static TheoryData<string, Toleration[], long[]> ScoreCases => new()
    {
        // Nodes: none has no PreferNoSchedule taint, one has 1, two has 2 (and a NoSchedule taint that scoring ignores).
        { "fewer intolerable taints score higher", [], [100, 50, 0] },
        { "tolerated taints do not count", [Objects.Toleration("a", "Exists", null, "PreferNoSchedule")], [100, 100, 0] },
        { "a NoSchedule-only toleration does not help the score", [Objects.Toleration("a", "Exists", null, "NoSchedule")], [100, 50, 0] },
        { "tolerating everything makes every node equal", [Objects.Toleration(null, "Exists", null, null)], [100, 100, 100] },
    };

    [Theory]
    [MemberData(nameof(ScoreCases))]
    public void Score_counts_intolerable_PreferNoSchedule_taints_and_normalizes_in_reverse(string name, Toleration[] tolerations, long[] expected)
    {
        var nodes = new[]
        {
            Objects.NodeInfo(Objects.Node("none")),
            Objects.NodeInfo(Objects.Node("one", taints: [Objects.Taint("a", "1", "PreferNoSchedule")])),
            Objects.NodeInfo(Objects.Node("two", taints: [Objects.Taint("a", "1", "PreferNoSchedule"), Objects.Taint("b", "2", "PreferNoSchedule"), Objects.Taint("c", "", "NoSchedule")])),
        };
        var pod = Objects.PodInfo(spec: s => s.Tolerations = tolerations);
        var plugin = new TaintTolerationPlugin();
        var state = new CycleState();
        Assert.True(plugin.PreScore(state, pod, nodes).IsSuccess);

        var scores = Objects.ScoreAll(plugin, state, pod, nodes);

        Assert.True(expected.SequenceEqual([scores["none"], scores["one"], scores["two"]]), $"{name}: {string.Join(",", scores)}");
    }

    [Fact]
    public void Score_without_PreScore_state_is_an_error()
    {
        var (_, status) = new TaintTolerationPlugin().Score(new CycleState(), Objects.PodInfo(), Objects.NodeInfo(Objects.Node("n")));

        Assert.Equal(StatusCode.Error, status.Code);
    }
}
