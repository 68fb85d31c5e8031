using System.Text.Json.Nodes;
using Korral.Api.Selectors;

namespace Korral.Api.Tests.Selectors;

public class LabelSelectorMatchTests
{
    public static TheoryData<string, string, bool> Cases => new()
    {
        // selector, labels as "k=v,k=v" ("" = none), expected
        { "", "", true },
        { "", "app=web", true },
        { "app=web", "app=web", true },
        { "app=web", "app=web,tier=fe", true },
        { "app=web", "app=api", false },
        { "app=web", "", false },
        { "app==web", "app=web", true },
        { "app!=web", "app=api", true },
        { "app!=web", "", true },
        { "app!=web", "app=web", false },
        { "app", "app=", true },
        { "app", "tier=fe", false },
        { "!app", "tier=fe", true },
        { "!app", "app=web", false },
        { "tier in (fe,be)", "tier=be", true },
        { "tier in (fe,be)", "tier=db", false },
        { "tier in (fe,be)", "", false },
        { "tier notin (fe,be)", "tier=db", true },
        { "tier notin (fe,be)", "", true },
        { "tier notin (fe,be)", "tier=fe", false },
        { "a in ()", "a=", true },
        { "a in ()", "a=x", false },
        { "a=", "a=", true },
        { "a=", "", false },
        { "a!=", "", true },
        { "a=1,b=2", "a=1,b=2", true },
        { "a=1,b=2", "a=1,b=3", false },
        { "a>5", "a=6", true },
        { "a>5", "a=5", false },
        { "a>5", "a=x", false },
        { "a>5", "", false },
        { "a<5", "a=-7", true },
        { "a<5", "a=+4", true },
        { "a<5", "a=5", false },
        { "a<5", "a= 4", false },
        { "x=1,x!=1", "x=1", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_dictionaries_and_json(string selector, string labels, bool expected)
    {
        var parsed = LabelSelector.Parse(selector);
        var dictionary = ParseLabels(labels);
        Assert.Equal(expected, parsed.Matches(dictionary));

        var json = new JsonObject();
        foreach (var (k, v) in dictionary)
        {
            json[k] = v;
        }

        Assert.Equal(expected, parsed.Matches(json));
        Assert.Equal(expected, parsed.MatchesObject(new JsonObject { ["metadata"] = new JsonObject { ["labels"] = json } }));
    }

    [Fact]
    public void Null_labels_are_an_empty_set()
    {
        Assert.True(LabelSelector.Parse("!a").Matches((IReadOnlyDictionary<string, string>?)null));
        Assert.False(LabelSelector.Parse("a").Matches((JsonObject?)null));
        Assert.True(LabelSelector.Everything.MatchesObject(new JsonObject()));
    }

    [Fact]
    public void Nothing_matches_nothing()
    {
        Assert.False(LabelSelector.Nothing.Matches(new Dictionary<string, string>()));
        Assert.False(LabelSelector.Nothing.Empty);
        Assert.True(LabelSelector.Nothing.MatchesNothing);
        Assert.Equal("", LabelSelector.Nothing.ToString());
    }

    [Fact]
    public void FromSet_builds_sorted_equality_requirements()
    {
        var selector = LabelSelector.FromSet(new Dictionary<string, string> { ["tier"] = "fe", ["app"] = "web" });
        Assert.Equal("app=web,tier=fe", selector.ToString());
        Assert.True(selector.Matches(new Dictionary<string, string> { ["app"] = "web", ["tier"] = "fe", ["x"] = "y" }));
        Assert.Same(LabelSelector.Everything, LabelSelector.FromSet((JsonObject?)null));
        Assert.Equal("app=web", LabelSelector.FromSet(new JsonObject { ["app"] = "web" }).ToString());
    }

    [Fact]
    public void Add_keeps_requirements_sorted()
    {
        LabelRequirement.TryCreate("b", LabelSelectorOperator.Exists, null, out var b, out _);
        var selector = LabelSelector.Parse("c=1,a=2").Add(b!);
        Assert.Equal("a=2,b,c=1", selector.ToString());
    }

    private static Dictionary<string, string> ParseLabels(string text)
    {
        var result = new Dictionary<string, string>();
        if (text.Length == 0)
        {
            return result;
        }

        foreach (var pair in text.Split(','))
        {
            var eq = pair.IndexOf('=');
            result[pair[..eq]] = pair[(eq + 1)..];
        }

        return result;
    }
}
