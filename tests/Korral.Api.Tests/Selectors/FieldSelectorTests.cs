using Korral.Api.Selectors;

namespace Korral.Api.Tests.Selectors;

public class FieldSelectorTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData(",,", "")]
    [InlineData("metadata.name=web", "metadata.name=web")]
    [InlineData("metadata.name==web", "metadata.name=web")]
    [InlineData("status.phase!=Running", "status.phase!=Running")]
    [InlineData("b=1,a!=2", "a!=2,b=1")]
    [InlineData("a=", "a=")]
    [InlineData(@"a=b\,c", @"a=b\,c")]
    [InlineData(@"a=b\=c\\d", @"a=b\=c\\d")]
    [InlineData(" a = b", " a = b")]
    [InlineData("involvedObject.namespace=demo,involvedObject.uid=u-1,involvedObject.name=p1", "involvedObject.name=p1,involvedObject.namespace=demo,involvedObject.uid=u-1")]
    public void Parses_and_prints(string input, string expected)
    {
        Assert.True(FieldSelector.TryParse(input, out var selector, out var error), error);
        Assert.Equal(expected, selector.ToString());
    }

    [Theory]
    [InlineData("a", "invalid selector: 'a'; can't understand 'a'")]
    [InlineData("a=b,c", "invalid selector: 'a=b,c'; can't understand 'c'")]
    [InlineData("a=b=c", "invalid field selector: unescaped character in value: 61")]
    [InlineData("a!==b", "invalid field selector: unescaped character in value: 61")]
    [InlineData(@"a=b\x", @"invalid field selector: invalid escape sequence: \x")]
    [InlineData(@"a=b\", @"invalid field selector: invalid escape sequence: \")]
    public void Rejects_with_upstream_message(string input, string expected)
    {
        Assert.False(FieldSelector.TryParse(input, out _, out var error));
        Assert.Equal(expected, error);
        Assert.Equal(expected, Assert.Throws<SelectorParseException>(() => FieldSelector.Parse(input)).Message);
    }

    [Fact]
    public void Splits_on_the_first_operator_and_unescapes_values()
    {
        var selector = FieldSelector.Parse(@"spec.nodeName=node\,1,status.phase!=Failed");
        Assert.Collection(
            selector.Requirements,
            r => Assert.Equal(new FieldRequirement("spec.nodeName", false, "node,1"), r),
            r => Assert.Equal(new FieldRequirement("status.phase", true, "Failed"), r));
    }

    [Theory]
    [InlineData("metadata.name=web", true)]
    [InlineData("metadata.name=api", false)]
    [InlineData("metadata.name!=api", true)]
    [InlineData("metadata.name=web,status.phase=Running", true)]
    [InlineData("metadata.name=web,status.phase!=Running", false)]
    [InlineData("spec.nodeName=", true)]
    [InlineData("spec.nodeName!=", false)]
    [InlineData("", true)]
    public void Matches_with_missing_fields_as_empty(string input, bool expected)
    {
        var fields = new Dictionary<string, string> { ["metadata.name"] = "web", ["status.phase"] = "Running" };
        var selector = FieldSelector.Parse(input);
        Assert.Equal(expected, selector.Matches(fields));
        Assert.Equal(expected, selector.Matches(f => fields.TryGetValue(f, out var v) ? v : null));
    }

    [Fact]
    public void Reports_exact_matches()
    {
        var selector = FieldSelector.Parse("metadata.name!=x,metadata.name=web");
        Assert.Equal("web", selector.RequiresExactMatch("metadata.name"));
        Assert.Null(selector.RequiresExactMatch("spec.nodeName"));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData(@"a,b=c\d", @"a\,b\=c\\d")]
    public void Escapes_round_trip(string literal, string escaped)
    {
        Assert.Equal(escaped, FieldSelector.EscapeValue(literal));
        Assert.True(FieldSelector.TryUnescapeValue(escaped, out var back, out _));
        Assert.Equal(literal, back);
    }

    [Fact]
    public void FromSet_requires_each_value()
    {
        var selector = FieldSelector.FromSet(new Dictionary<string, string> { ["metadata.namespace"] = "demo", ["metadata.name"] = "a,b" });
        Assert.Equal(@"metadata.name=a\,b,metadata.namespace=demo", selector.ToString());
        Assert.True(FieldSelector.FromSet(null).Empty);
    }
}
