using Korral.Api.Models.CoreV1;
using Korral.Scheduler.Plugins.VolumeBinding;

namespace Korral.Scheduler.Tests.Plugins.VolumeBinding;

public sealed class VolumeTopologyTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["zone"] = "a", ["disks"] = "4" };

    public static TheoryData<string, string?, string[]?, bool> Requirements => new()
    {
        { "zone", "In", ["a", "b"], true },
        { "zone", "In", ["b"], false },
        { "zone", "NotIn", ["b"], true },
        { "rack", "NotIn", ["b"], true },
        { "zone", "Exists", null, true },
        { "rack", "DoesNotExist", null, true },
        { "disks", "Gt", ["3"], true },
        { "disks", "Lt", ["3"], false },
        { "zone", "Gt", ["3"], false },
        // Requirements that do not parse make their term match nothing.
        { "zone", "In", [], false },
        { "zone", "Exists", ["a"], false },
        { "zone", "Near", ["a"], false },
        { "zone", null, ["a"], false },
    };

    [Theory]
    [MemberData(nameof(Requirements))]
    public void Node_selector_requirements_match_labels_as_upstream(string key, string? op, string[]? values, bool matches)
    {
        var selector = Terms(new NodeSelectorTerm { MatchExpressions = [new NodeSelectorRequirement { Key = key, Operator = op, Values = values }] });

        Assert.Equal(matches, VolumeTopology.MatchNodeSelectorTerms(selector, Labels, "n1"));
    }

    [Fact]
    public void Terms_are_ored_and_an_empty_term_matches_nothing()
    {
        var other = new NodeSelectorTerm { MatchExpressions = [new NodeSelectorRequirement { Key = "zone", Operator = "In", Values = ["b"] }] };
        var mine = new NodeSelectorTerm { MatchExpressions = [new NodeSelectorRequirement { Key = "zone", Operator = "In", Values = ["a"] }] };

        Assert.True(VolumeTopology.MatchNodeSelectorTerms(Terms(other, mine), Labels, "n1"));
        Assert.False(VolumeTopology.MatchNodeSelectorTerms(Terms(new NodeSelectorTerm()), Labels, "n1"));
        Assert.False(VolumeTopology.MatchNodeSelectorTerms(Terms(), Labels, "n1"));
    }

    [Fact]
    public void A_volumes_match_fields_see_no_node_name_as_upstreams_CheckNodeAffinity()
    {
        var byName = Terms(new NodeSelectorTerm { MatchFields = [new NodeSelectorRequirement { Key = "metadata.name", Operator = "In", Values = ["n1"] }] });
        var volume = Objects.Volume("pv", "1Gi", null, byName);

        Assert.True(VolumeTopology.MatchNodeSelectorTerms(byName, Labels, "n1"));
        Assert.False(VolumeTopology.VolumeFitsNode(volume, Labels));
        Assert.True(VolumeTopology.VolumeFitsNode(Objects.Volume("pv", "1Gi", null), Labels));
    }

    [Fact]
    public void Allowed_topologies_need_one_term_whose_labels_all_match()
    {
        static TopologySelectorTerm Term(params (string Key, string[] Values)[] expressions) => new()
        {
            MatchLabelExpressions = [.. expressions.Select(e => new TopologySelectorLabelRequirement { Key = e.Key, Values = e.Values })],
        };

        Assert.True(VolumeTopology.MatchTopologySelectorTerms(null, Labels));
        Assert.True(VolumeTopology.MatchTopologySelectorTerms([Term(("zone", ["b"])), Term(("zone", ["a", "c"]))], Labels));
        Assert.False(VolumeTopology.MatchTopologySelectorTerms([Term(("zone", ["a"]), ("rack", ["r1"]))], Labels));
        Assert.False(VolumeTopology.MatchTopologySelectorTerms([Term()], Labels));
    }

    private static NodeSelector Terms(params NodeSelectorTerm[] terms) => new() { NodeSelectorTerms = terms };
}
