using Korral.Api.Selectors;

namespace Korral.Api.Tests.Selectors;

public class LabelSelectorParseTests
{
    private const string NameRule =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
        "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

    private const string ValueRule =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
        "(e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    private const string SubdomainRule =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character " +
        @"(e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    // input → canonical text (requirements sorted by key, set values sorted).
    [Theory]
    [InlineData("", "")]
    [InlineData("   ", "")]
    [InlineData("app=web", "app=web")]
    [InlineData("app==web", "app==web")]
    [InlineData("app!=web", "app!=web")]
    [InlineData("app", "app")]
    [InlineData("!app", "!app")]
    [InlineData("tier in (web,api)", "tier in (api,web)")]
    [InlineData("tier notin (web)", "tier notin (web)")]
    [InlineData("tier in (web, api, web)", "tier in (api,web)")]
    [InlineData("b=2,a in (y,x)", "a in (x,y),b=2")]
    [InlineData("  a  =  b  ,  c  ", "a=b,c")]
    [InlineData("a\t=\tb\n,\r!c", "a=b,!c")]
    [InlineData("a=", "a=")]
    [InlineData("a!=", "a!=")]
    [InlineData("a==,b", "a==,b")]
    [InlineData("a in ()", "a in ()")]
    [InlineData("a in (,b)", "a in (,b)")]
    [InlineData("a in (b,)", "a in (,b)")]
    [InlineData("a in (b,,c)", "a in (,b,c)")]
    [InlineData("a in (in)", "a in (in)")]
    [InlineData("in in (notin)", "in in (notin)")]
    [InlineData("notin notin (in,notin)", "notin notin (in,notin)")]
    [InlineData("a>5", "a>5")]
    [InlineData("a<3", "a<3")]
    [InlineData("example.com/tier=web", "example.com/tier=web")]
    [InlineData("app.kubernetes.io/name=web,app=web", "app=web,app.kubernetes.io/name=web")]
    [InlineData("x=1,x!=2", "x=1,x!=2")]
    [InlineData("x!=2,x=1", "x!=2,x=1")]
    public void Parses_to_canonical_text(string input, string expected)
    {
        Assert.True(LabelSelector.TryParse(input, out var selector, out var error), error);
        Assert.Equal(expected, selector.ToString());
    }

    [Theory]
    [InlineData("a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt")]
    [InlineData("x=a b", "found 'b', expected: ',' or 'end of string'")]
    [InlineData("x=a,", "found '', expected: identifier after ','")]
    [InlineData("x=a,,y", "found ',', expected: identifier after ','")]
    [InlineData(",x", "found ',', expected: !, identifier, or 'end of string'")]
    [InlineData("=x", "found '=', expected: !, identifier, or 'end of string'")]
    [InlineData("a=b=c", "found '=', expected: ',' or 'end of string'")]
    [InlineData("!a=b", "found '=', expected: ',' or 'end of string'")]
    [InlineData("!", "unable to parse requirement: found '', expected: identifier")]
    [InlineData("!!a", "unable to parse requirement: found '!', expected: identifier")]
    [InlineData("a in b", "unable to parse requirement: found 'b' expected: '('")]
    [InlineData("a in", "unable to parse requirement: found '' expected: '('")]
    [InlineData("a in (b", "unable to parse requirement: found '', expected: ',' or ')'")]
    [InlineData("a in (b c)", "unable to parse requirement: found 'c', expected: ',' or ')'")]
    [InlineData("a in (=)", "unable to parse requirement: found '=', expected: ',', ')' or identifier")]
    [InlineData("a in (b,=)", "unable to parse requirement: found '=', expected: ',', or identifier")]
    [InlineData("a=(b)", "unable to parse requirement: found '(', expected: identifier")]
    [InlineData("a IN (b)", "unable to parse requirement: found 'IN', expected: in, notin, =, ==, !=, gt, lt")]
    [InlineData("a>b", "unable to parse requirement: values[0]: Invalid value: \"b\": for 'Gt', 'Lt' operators, the value must be an integer")]
    [InlineData("a-=b", "unable to parse requirement: <nil>: Invalid value: \"a-\": name part " + NameRule)]
    [InlineData("app=-", "unable to parse requirement: values[0][app]: Invalid value: \"-\": " + ValueRule)]
    [InlineData("a<-1", "unable to parse requirement: values[0][a]: Invalid value: \"-1\": " + ValueRule)]
    [InlineData("/a", "unable to parse requirement: <nil>: Invalid value: \"/a\": prefix part must be non-empty")]
    [InlineData("a/", "unable to parse requirement: <nil>: Invalid value: \"a/\": name part must be non-empty; name part " + NameRule)]
    [InlineData("Example.com/a", "unable to parse requirement: <nil>: Invalid value: \"Example.com/a\": prefix part " + SubdomainRule)]
    [InlineData("a/b/c", "unable to parse requirement: <nil>: Invalid value: \"a/b/c\": a qualified name " + NameRule + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')")]
    [InlineData("a=\"b\"", "unable to parse requirement: values[0][a]: Invalid value: \"\\\"b\\\"\": " + ValueRule)]
    public void Rejects_with_upstream_message(string input, string expected)
    {
        Assert.False(LabelSelector.TryParse(input, out _, out var error));
        Assert.Equal(expected, error);
        var ex = Assert.Throws<SelectorParseException>(() => LabelSelector.Parse(input));
        Assert.Equal(expected, ex.Message);
    }

    [Fact]
    public void Rejects_too_long_key_and_value()
    {
        var longName = new string('a', 64);
        Assert.False(LabelSelector.TryParse(longName, out _, out var keyError));
        Assert.Equal($"unable to parse requirement: <nil>: Invalid value: \"{longName}\": name part must be no more than 63 characters", keyError);

        Assert.False(LabelSelector.TryParse("a=" + longName, out _, out var valueError));
        Assert.Equal($"unable to parse requirement: values[0][a]: Invalid value: \"{longName}\": must be no more than 63 characters", valueError);

        Assert.True(LabelSelector.TryParse(new string('a', 63) + "=" + new string('b', 63), out _, out _));
    }

    [Fact]
    public void Null_and_empty_select_everything()
    {
        Assert.True(LabelSelector.TryParse(null, out var selector, out _));
        Assert.Same(LabelSelector.Everything, selector);
        Assert.True(LabelSelector.Parse("").Empty);
        Assert.False(LabelSelector.Parse("a").Empty);
    }

    [Fact]
    public void Requirements_expose_key_operator_and_sorted_values()
    {
        var selector = LabelSelector.Parse("z notin (c,a,b),a==x,m");
        Assert.Collection(
            selector.Requirements,
            r => { Assert.Equal("a", r.Key); Assert.Equal(LabelSelectorOperator.DoubleEquals, r.Operator); Assert.Equal(["x"], r.Values); },
            r => { Assert.Equal("m", r.Key); Assert.Equal(LabelSelectorOperator.Exists, r.Operator); Assert.Empty(r.Values); },
            r => { Assert.Equal("z", r.Key); Assert.Equal(LabelSelectorOperator.NotIn, r.Operator); Assert.Equal(["a", "b", "c"], r.Values); });
    }

    [Theory]
    [InlineData("app=web", "app", "web")]
    [InlineData("app==web", "app", "web")]
    [InlineData("app in (web)", "app", "web")]
    [InlineData("app in (web,api)", "app", null)]
    [InlineData("app!=web", "app", null)]
    [InlineData("tier=a,app=web", "app", "web")]
    [InlineData("tier=a", "app", null)]
    public void Reports_exact_matches(string input, string key, string? expected) =>
        Assert.Equal(expected, LabelSelector.Parse(input).RequiresExactMatch(key));
}
