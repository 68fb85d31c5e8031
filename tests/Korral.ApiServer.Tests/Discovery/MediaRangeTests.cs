using Korral.ApiServer.Discovery;

namespace Korral.ApiServer.Tests.Discovery;

public sealed class MediaRangeTests
{
    [Fact]
    public void Parses_type_parameters_and_quality()
    {
        var ranges = MediaRange.ParseAccept("application/json;g=apidiscovery.k8s.io;v=v2;q=0.8");

        var range = Assert.Single(ranges);
        Assert.Equal("application", range.Type);
        Assert.Equal("json", range.SubType);
        Assert.Equal("apidiscovery.k8s.io", range.Parameter("g"));
        Assert.Equal("v2", range.Parameter("V"));
        Assert.Null(range.Parameter("q"));
        Assert.Equal(0.8, range.Quality);
    }

    [Fact]
    public void Orders_by_quality_then_specificity_then_position()
    {
        var ranges = MediaRange.ParseAccept("*/*;q=0.9, text/*, application/yaml;q=0.9, application/json");

        Assert.Equal(["application/json", "text/*", "application/yaml", "*/*"], ranges.Select(r => r.MediaType));
    }

    [Fact]
    public void Keeps_upstream_protobuf_spellings_and_skips_garbage()
    {
        var ranges = MediaRange.ParseAccept(
            "application/com.github.proto-openapi.spec.v2@v1.0+protobuf, nonsense, /json, application/, a/b/c, *, application/json;q=2");

        Assert.Equal(["application/com.github.proto-openapi.spec.v2@v1.0+protobuf", "*/*"], ranges.Select(r => r.MediaType));
    }

    [Fact]
    public void Quoted_parameters_may_contain_separators()
    {
        var ranges = MediaRange.ParseAccept("application/x;note=\"a,b;c\";other=\"q\\\"x\", text/plain");

        Assert.Equal(2, ranges.Count);
        Assert.Equal("a,b;c", ranges[0].Parameter("note"));
        Assert.Equal("q\"x", ranges[0].Parameter("other"));
    }

    [Fact]
    public void Blank_accept_means_anything()
    {
        var range = Assert.Single(MediaRange.ParseAccept("  "));

        Assert.True(range.Covers("application", "json"));
        Assert.True(range.IsWildcard);
    }
}
