using System.Text.Json.Nodes;
using Korral.Api.Selectors;

namespace Korral.Api.Tests.Selectors;

public class LabelSelectorFromJsonTests
{
    [Theory]
    [InlineData("""{"matchLabels":{"app":"web"}}""", "app=web")]
    [InlineData("""{"matchLabels":{"tier":"fe","app":"web"}}""", "app=web,tier=fe")]
    [InlineData("""{"matchExpressions":[{"key":"tier","operator":"In","values":["web","api"]}]}""", "tier in (api,web)")]
    [InlineData("""{"matchExpressions":[{"key":"tier","operator":"NotIn","values":["db"]}]}""", "tier notin (db)")]
    [InlineData("""{"matchExpressions":[{"key":"gpu","operator":"Exists"}]}""", "gpu")]
    [InlineData("""{"matchExpressions":[{"key":"gpu","operator":"DoesNotExist","values":[]}]}""", "!gpu")]
    [InlineData("""{"matchLabels":{"z":"1"},"matchExpressions":[{"key":"a","operator":"Exists"}]}""", "a,z=1")]
    [InlineData("""{"matchLabels":{"app":"web"},"matchExpressions":[{"key":"app","operator":"NotIn","values":["api"]}]}""", "app=web,app notin (api)")]
    [InlineData("""{"matchLabels":{"a":""}}""", "a=")]
    public void Converts_metav1_label_selectors(string json, string expected)
    {
        Assert.True(LabelSelector.TryFromLabelSelector(JsonNode.Parse(json), out var selector, out var error), error);
        Assert.Equal(expected, selector.ToString());
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"matchLabels":{}}""")]
    [InlineData("""{"matchLabels":{},"matchExpressions":[]}""")]
    public void Empty_selector_selects_everything(string json)
    {
        var selector = LabelSelector.FromLabelSelector(JsonNode.Parse(json));
        Assert.True(selector.Empty);
        Assert.True(selector.Matches(new Dictionary<string, string> { ["any"] = "thing" }));
    }

    [Fact]
    public void Null_selector_selects_nothing()
    {
        Assert.Same(LabelSelector.Nothing, LabelSelector.FromLabelSelector((JsonNode?)null));
        Assert.Same(LabelSelector.Nothing, LabelSelector.FromLabelSelector(JsonNode.Parse("null")));
    }

    [Theory]
    [InlineData("""{"matchExpressions":[{"key":"tier","operator":"In"}]}""", "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty")]
    [InlineData("""{"matchExpressions":[{"key":"tier","operator":"NotIn","values":[]}]}""", "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty")]
    [InlineData("""{"matchExpressions":[{"key":"tier","operator":"Exists","values":["a","b"]}]}""", "values: Invalid value: []string{\"a\", \"b\"}: values set must be empty for exists and does not exist")]
    [InlineData("""{"matchExpressions":[{"key":"tier","operator":"Equals","values":["a"]}]}""", "\"Equals\" is not a valid label selector operator")]
    [InlineData("""{"matchExpressions":[{"key":"tier","operator":"in","values":["a"]}]}""", "\"in\" is not a valid label selector operator")]
    [InlineData("""{"matchLabels":{"app":"-web"}}""", "values[0][app]: Invalid value: \"-web\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")]
    [InlineData("""{"matchLabels":{"a b":"x"}}""", "key: Invalid value: \"a b\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")]
    [InlineData("""{"matchExpressions":[{"key":"","operator":"Exists","values":["x"]}]}""", "[key: Invalid value: \"\": name part must be non-empty; name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]'), values: Invalid value: []string{\"x\"}: values set must be empty for exists and does not exist]")]
    public void Rejects_invalid_selectors_with_upstream_message(string json, string expected)
    {
        Assert.False(LabelSelector.TryFromLabelSelector(JsonNode.Parse(json), out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Matches_like_upstream()
    {
        var selector = LabelSelector.FromLabelSelector(JsonNode.Parse(
            """{"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"In","values":["fe"]},{"key":"canary","operator":"DoesNotExist"}]}"""));
        Assert.True(selector.Matches(new Dictionary<string, string> { ["app"] = "web", ["tier"] = "fe" }));
        Assert.False(selector.Matches(new Dictionary<string, string> { ["app"] = "web", ["tier"] = "fe", ["canary"] = "true" }));
        Assert.False(selector.Matches(new Dictionary<string, string> { ["app"] = "web" }));
    }

    [Fact]
    public void Converts_typed_models_the_same_way()
    {
        var model = new Korral.Api.Models.MetaV1.LabelSelector
        {
            MatchLabels = new Dictionary<string, string> { ["app"] = "web" },
            MatchExpressions = [new() { Key = "tier", Operator = "In", Values = ["web", "api"] }],
        };
        Assert.Equal("app=web,tier in (api,web)", LabelSelector.FromLabelSelector(model).ToString());
        Assert.Same(LabelSelector.Nothing, LabelSelector.FromLabelSelector((Korral.Api.Models.MetaV1.LabelSelector?)null));
        Assert.Same(LabelSelector.Everything, LabelSelector.FromLabelSelector(new Korral.Api.Models.MetaV1.LabelSelector()));

        model.MatchExpressions[0].Values = [];
        Assert.False(LabelSelector.TryFromLabelSelector(model, out _, out var error));
        Assert.Equal("values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty", error);
    }
}
