using Korral.Kubelet.Translation;

namespace Korral.Kubelet.Tests.Translation;

public sealed class VariableExpansionTests
{
    private static readonly Dictionary<string, string> Vars = new()
    {
        ["VAR_A"] = "A",
        ["VAR_B"] = "B",
        ["VAR_C"] = "C",
        ["VAR_REF"] = "$(VAR_A)",
        ["VAR_EMPTY"] = "",
    };

    [Theory]
    [InlineData("$(VAR_A)", "A")]
    [InlineData("___$(VAR_B)___", "___B___")]
    [InlineData("$(VAR_A)-$(VAR_A)", "A-A")]
    [InlineData("$(VAR_A)$(VAR_B)$(VAR_C)", "ABC")]
    [InlineData("$(VAR_REF)", "$(VAR_A)")] // values are not expanded again
    [InlineData("$(VAR_EMPTY)", "")]
    [InlineData("foo$(VAR_EMPTY)bar", "foobar")]
    [InlineData("$(VAR_DNE)", "$(VAR_DNE)")] // unknown: left as written
    [InlineData("$()", "$()")]
    [InlineData("$$(VAR_B)_$(VAR_A)", "$(VAR_B)_A")] // $$ escapes
    [InlineData("$$(VAR_DNE)", "$(VAR_DNE)")]
    [InlineData("$$", "$")]
    [InlineData("$$$$", "$$")]
    [InlineData("$$$", "$$")]
    [InlineData("$$$$$$(BIG_MONEY)", "$$$(BIG_MONEY)")]
    [InlineData("$$$$$$$(VAR_A)", "$$$A")]
    [InlineData("$", "$")] // a trailing operator stays
    [InlineData("abc$", "abc$")]
    [InlineData("$VAR_A", "$VAR_A")] // only $( starts a reference
    [InlineData("f000-$$VAR_A", "f000-$VAR_A")]
    [InlineData("$(VAR_A", "$(VAR_A")] // unterminated
    [InlineData("$(VAR_A$(VAR_B)", "$(VAR_A$(VAR_B)")] // the name runs to the first ')'
    [InlineData("$(VAR_A)$(", "A$(")]
    [InlineData("($(VAR_A))", "(A)")]
    [InlineData("no references", "no references")]
    [InlineData("", "")]
    public void Expands_as_the_kubelet_does(string input, string expected)
    {
        Assert.Equal(expected, VariableExpansion.Expand(input, Vars));
    }

    [Fact]
    public void Sources_are_searched_in_order()
    {
        var first = new Dictionary<string, string> { ["X"] = "first" };
        var second = new Dictionary<string, string> { ["X"] = "second", ["Y"] = "second" };

        Assert.Equal("first second $(Z)", VariableExpansion.Expand("$(X) $(Y) $(Z)", first, second));
    }
}
