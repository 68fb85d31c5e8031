using Korral.Api.Selectors;

namespace Korral.Api.Tests.Selectors;

public class LabelRequirementTests
{
    [Theory]
    [InlineData("a", LabelSelectorOperator.Equals, new[] { "x", "y" }, "values: Invalid value: []string{\"x\", \"y\"}: exact-match compatibility requires one single value")]
    [InlineData("a", LabelSelectorOperator.NotEquals, new string[0], "values: Invalid value: []string{}: exact-match compatibility requires one single value")]
    [InlineData("a", LabelSelectorOperator.GreaterThan, new[] { "1", "2" }, "values: Invalid value: []string{\"1\", \"2\"}: for 'Gt', 'Lt' operators, exactly one value is required")]
    [InlineData("a", LabelSelectorOperator.LessThan, new[] { "x" }, "values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer")]
    public void Validates_value_counts(string key, LabelSelectorOperator op, string[] values, string expected)
    {
        Assert.False(LabelRequirement.TryCreate(key, op, values, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Several_errors_are_bracketed()
    {
        Assert.False(LabelRequirement.TryCreate("a", LabelSelectorOperator.In, ["-", "-"], out _, out var error));
        Assert.StartsWith("[values[0][a]: Invalid value: \"-\"", error);
        Assert.Contains(", values[1][a]: Invalid value: \"-\"", error);
    }

    [Fact]
    public void Quotes_values_like_go()
    {
        Assert.False(LabelRequirement.TryCreate("a", LabelSelectorOperator.Equals, ["tab\there\u00e9\u0001"], out _, out var error));
        Assert.StartsWith("values[0][a]: Invalid value: \"tab\\there\u00e9\\x01\": ", error);
    }

    [Fact]
    public void Prints_set_values_sorted_without_changing_them()
    {
        Assert.True(LabelRequirement.TryCreate("k", LabelSelectorOperator.In, ["b", "a"], out var requirement, out _));
        Assert.Equal("k in (a,b)", requirement!.ToString());
        Assert.Equal(["b", "a"], requirement.Values);
    }
}
