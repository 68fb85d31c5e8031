using System.Text.RegularExpressions;
using Korral.Ingress.Nginx;
using Korral.Ingress.Tls;

namespace Korral.Ingress.Tests.Translation;

public sealed class HostNamesTests
{
    [Theory]
    [InlineData("foo.com", "foo.com", true)]
    [InlineData("foo.com", "FOO.com", true)]
    [InlineData("*.foo.com", "bar.foo.com", true)]
    [InlineData("*.foo.com", "BAR.Foo.com", true)]
    [InlineData("*.foo.com", "baz.bar.foo.com", false)]
    [InlineData("*.foo.com", "foo.com", false)]
    [InlineData("*.foo.com", ".foo.com", false)]
    [InlineData("*.foo.com", "*.foo.com", true)]
    [InlineData("bar.foo.com", "*.foo.com", false)]
    [InlineData("foo.com", "bar.com", false)]
    public void WildcardsCoverExactlyOneLabel(string pattern, string host, bool matches) =>
        Assert.Equal(matches, HostNames.Matches(pattern, host));

    [Theory]
    [InlineData("foo.example.com", true)]
    [InlineData("*.example.com", true)]
    [InlineData("a", true)]
    [InlineData("Foo.com", false)]
    [InlineData("foo..com", false)]
    [InlineData("-foo.com", false)]
    [InlineData("foo.com;", false)]
    [InlineData("foo com", false)]
    [InlineData("*.*.com", false)]
    [InlineData("foo.*.com", false)]
    [InlineData("", false)]
    public void OnlyHostNamesTheApiAdmitsAreWrittenIntoNginxConf(string host, bool valid) =>
        Assert.Equal(valid, HostNames.IsValid(host));

    [Theory]
    [InlineData("one.apps.example.com", true)]
    [InlineData("a-b.apps.example.com", true)]
    [InlineData("a.b.apps.example.com", false)]
    [InlineData("apps.example.com", false)]
    [InlineData("oneXapps.example.com", false)]
    public void WildcardServerNameIsAOneLabelExpression(string host, bool matches)
    {
        var serverName = NginxConfigWriter.ServerName("*.apps.example.com");

        Assert.StartsWith("~", serverName, StringComparison.Ordinal);
        // nginx's PCRE and .NET agree on this subset (anchors, a negated class, escaped dots).
        Assert.Equal(matches, Regex.IsMatch(host, serverName[1..]));
    }

    [Fact]
    public void PlainHostIsItsOwnServerName() => Assert.Equal("foo.example.com", NginxConfigWriter.ServerName("foo.example.com"));
}
