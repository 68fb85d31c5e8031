using Korral.Ingress.Translation;

namespace Korral.Ingress.Tests.Translation;

public sealed class PathRuleTests
{
    public static TheoryData<string?, string?, LocationMatch, string, string?> Rules => new()
    {
        { "Exact", "/foo", LocationMatch.Exact, "/foo", null },
        { "Exact", "/foo/", LocationMatch.Exact, "/foo/", null },
        { "Prefix", "/", LocationMatch.Prefix, "/", null },
        { "Prefix", "/foo", LocationMatch.Prefix, "/foo/", "/foo" },
        { "Prefix", "/foo/", LocationMatch.Prefix, "/foo/", "/foo" },
        { "Prefix", "/foo/bar//", LocationMatch.Prefix, "/foo/bar/", "/foo/bar" },
        { "ImplementationSpecific", "/foo", LocationMatch.Prefix, "/foo", null },
        { "ImplementationSpecific", "", LocationMatch.Prefix, "/", null },
        { null, "/foo", LocationMatch.Prefix, "/foo", null },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void PathBecomesTheLocationsIngressNginxWrites(string? pathType, string? path, LocationMatch match, string location, string? derivedExact)
    {
        var rule = PathRule.For(pathType, path, out var problem);

        Assert.Null(problem);
        Assert.Equal(new PathRule(match, location, derivedExact), rule);
    }

    [Theory]
    [InlineData("Prefix", "foo", "path \"foo\" must start with '/'")]
    [InlineData("Regex", "/foo", "path \"/foo\": unknown pathType \"Regex\"")]
    [InlineData("Exact", "/a\nb", "path with control characters")]
    public void PathThatCannotBeHonouredIsAProblem(string pathType, string path, string expected)
    {
        Assert.Null(PathRule.For(pathType, path, out var problem));
        Assert.Equal(expected, problem);
    }
}
