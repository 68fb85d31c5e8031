using Korral.Api.Models.CoreV1;
using Korral.Scheduler.Plugins.NodeAffinity;

namespace Korral.Scheduler.Tests.Plugins.NodeAffinity;

public sealed class NodeSelectorMatcherTests
{
    private static readonly Dictionary<string, string> NodeLabels = Objects.Labels(("zone", "a"), ("gpu", "5"), ("disk", "ssd"));

    internal static NodeSelectorRequirement Expr(string key, string op, params string[] values) => new() { Key = key, Operator = op, Values = values };

    internal static NodeSelectorTerm Term(NodeSelectorRequirement[]? expressions = null, NodeSelectorRequirement[]? fields = null) =>
        new() { MatchExpressions = expressions, MatchFields = fields };

    public static TheoryData<string, NodeSelectorTerm[], bool> MatchCases => new()
    {
        { "In", [Term([Expr("zone", "In", "a", "b")])], true },
        { "In, other value", [Term([Expr("zone", "In", "b")])], false },
        { "In, missing label", [Term([Expr("rack", "In", "1")])], false },
        { "NotIn", [Term([Expr("zone", "NotIn", "b")])], true },
        { "NotIn, listed value", [Term([Expr("zone", "NotIn", "a")])], false },
        { "NotIn, missing label", [Term([Expr("rack", "NotIn", "1")])], true },
        { "Exists", [Term([Expr("disk", "Exists")])], true },
        { "Exists, missing", [Term([Expr("rack", "Exists")])], false },
        { "DoesNotExist", [Term([Expr("rack", "DoesNotExist")])], true },
        { "DoesNotExist, present", [Term([Expr("disk", "DoesNotExist")])], false },
        { "Gt", [Term([Expr("gpu", "Gt", "3")])], true },
        { "Gt, equal", [Term([Expr("gpu", "Gt", "5")])], false },
        { "Lt", [Term([Expr("gpu", "Lt", "6")])], true },
        { "Gt on a non-integer label", [Term([Expr("zone", "Gt", "1")])], false },
        { "Lt on a missing label", [Term([Expr("rack", "Lt", "1")])], false },
        { "expressions are ANDed", [Term([Expr("zone", "In", "a"), Expr("disk", "In", "hdd")])], false },
        { "terms are ORed", [Term([Expr("zone", "In", "b")]), Term([Expr("disk", "In", "ssd")])], true },
        { "metadata.name In", [Term(fields: [Expr("metadata.name", "In", "n1")])], true },
        { "metadata.name In, other node", [Term(fields: [Expr("metadata.name", "In", "n2")])], false },
        { "metadata.name NotIn", [Term(fields: [Expr("metadata.name", "NotIn", "n2")])], true },
        { "fields and expressions are ANDed", [Term([Expr("zone", "In", "a")], [Expr("metadata.name", "In", "n2")])], false },
        { "an empty term selects nothing", [Term()], false },
        { "no terms select nothing", [], false },
        { "an invalid term fails alone", [Term([Expr("gpu", "Gt", "x")]), Term([Expr("zone", "In", "a")])], true },
        { "an invalid term matches nothing", [Term([Expr("zone", "Foo", "a")])], false },
    };

    [Theory]
    [MemberData(nameof(MatchCases))]
    public void Matches_terms_as_upstream(string name, NodeSelectorTerm[] terms, bool matches)
    {
        var matcher = NodeSelectorMatcher.Compile(new NodeSelector { NodeSelectorTerms = terms });

        Assert.True(matches == matcher.Matches(NodeLabels, "n1"), name);
    }

    public static TheoryData<NodeSelectorTerm, string> ErrorCases => new()
    {
        { Term([Expr("zone", "Foo", "a")]), "\"Foo\" is not a valid node selector operator" },
        { Term([Expr("gpu", "Gt", "x")]), "values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer" },
        { Term([Expr("zone", "In")]), "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty" },
        { Term([Expr("zone", "Exists", "a")]), "values: Invalid value: []string{\"a\"}: values set must be empty for exists and does not exist" },
        { Term(fields: [Expr("metadata.name", "In", "a", "b")]), "unexpected number of value (2) for node field selector operator \"In\"" },
        { Term(fields: [Expr("metadata.name", "Exists")]), "\"Exists\" is not a valid node field selector operator" },
    };

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public void Invalid_terms_report_upstreams_error_when_nothing_matches(NodeSelectorTerm term, string error)
    {
        var matcher = NodeSelectorMatcher.Compile(new NodeSelector { NodeSelectorTerms = [term] });
        var node = Objects.NodeInfo(Objects.Node("n1", labels: NodeLabels));

        Assert.False(matcher.Match(node, out var reported));
        Assert.Equal(error, reported);
        Assert.Equal([error], matcher.Errors);
    }

    [Fact]
    public void Several_errors_are_aggregated_like_go()
    {
        var matcher = NodeSelectorMatcher.Compile(new NodeSelector
        {
            NodeSelectorTerms = [Term([Expr("zone", "Foo")]), Term([Expr("zone", "Bar")]), Term([Expr("zone", "Foo")])],
        });

        Assert.False(matcher.Match(Objects.NodeInfo(Objects.Node("n1")), out var error));
        Assert.Equal("[\"Foo\" is not a valid node selector operator, \"Bar\" is not a valid node selector operator]", error);
    }

    [Fact]
    public void A_matching_term_hides_the_errors_of_others()
    {
        var matcher = NodeSelectorMatcher.Compile(new NodeSelector { NodeSelectorTerms = [Term([Expr("zone", "Foo")]), Term([Expr("zone", "In", "a")])] });

        Assert.True(matcher.Match(Objects.NodeInfo(Objects.Node("n1", labels: NodeLabels)), out var error));
        Assert.Null(error);
    }
}
