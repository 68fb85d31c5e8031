using Korral.ApiServer.Discovery;

namespace Korral.ApiServer.Tests.Discovery;

public sealed class DiscoveryNegotiationTests
{
    // The Accept headers kubectl sends on /api and /apis (kubectl-compat.md 1.1).
    private const string Kubectl133 =
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
        + "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

    private const string Kubectl127 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

    private const string Plain = "application/json, */*";

    [Fact]
    public void Kubectl_1_33_gets_aggregated_v2()
    {
        var format = DiscoveryNegotiation.Negotiate(Kubectl133);

        Assert.Equal(DiscoveryFormat.AggregatedV2, format);
        Assert.Equal("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", DiscoveryNegotiation.ContentType(format));
    }

    [Fact]
    public void Kubectl_1_27_gets_aggregated_v2beta1()
    {
        var format = DiscoveryNegotiation.Negotiate(Kubectl127);

        Assert.Equal(DiscoveryFormat.AggregatedV2Beta1, format);
        Assert.Equal("application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList", DiscoveryNegotiation.ContentType(format));
    }

    [Theory]
    [InlineData(Plain)]
    [InlineData("application/json")]
    [InlineData("*/*")]
    [InlineData("application/*")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("application/json; charset=utf-8")]
    public void Plain_clients_get_legacy_json(string? accept)
    {
        var format = DiscoveryNegotiation.Negotiate(accept);

        Assert.Equal(DiscoveryFormat.Legacy, format);
        Assert.Equal("application/json", DiscoveryNegotiation.ContentType(format));
    }

    [Fact]
    public void The_first_listed_format_wins_when_q_values_tie()
    {
        const string accept = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,"
            + "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

        Assert.Equal(DiscoveryFormat.AggregatedV2Beta1, DiscoveryNegotiation.Negotiate(accept));
        Assert.Equal(DiscoveryFormat.Legacy, DiscoveryNegotiation.Negotiate("application/json," + Kubectl133));
    }

    [Fact]
    public void Q_values_order_the_preferences()
    {
        const string accept = "application/json;q=0.5,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;q=0.9";

        Assert.Equal(DiscoveryFormat.AggregatedV2, DiscoveryNegotiation.Negotiate(accept));
    }

    [Fact]
    public void A_range_with_q_zero_is_refused()
    {
        const string accept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;q=0,application/json";

        Assert.Equal(DiscoveryFormat.Legacy, DiscoveryNegotiation.Negotiate(accept));
    }

    [Theory]
    [InlineData("application/json; as=APIGroupDiscoveryList; v=v2; g=apidiscovery.k8s.io")]
    [InlineData("Application/JSON;G=apidiscovery.k8s.io;V=v2;AS=APIGroupDiscoveryList")]
    [InlineData("application/json;g=\"apidiscovery.k8s.io\";v=\"v2\";as=\"APIGroupDiscoveryList\"")]
    [InlineData("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;profile=nopeer")]
    public void Parameters_are_parsed_properly_in_any_order_and_spelling(string accept)
    {
        Assert.Equal(DiscoveryFormat.AggregatedV2, DiscoveryNegotiation.Negotiate(accept));
    }

    [Theory]
    [InlineData("application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList, application/json", DiscoveryFormat.Legacy)]
    [InlineData("application/json;g=apidiscovery.k8s.io;v=v2, application/json", DiscoveryFormat.Legacy)]
    [InlineData("application/json;g=other.k8s.io;v=v2;as=APIGroupDiscoveryList, application/json", DiscoveryFormat.Legacy)]
    [InlineData("application/json;v=v2beta1xx;g=apidiscovery.k8s.io;as=APIGroupDiscoveryList", DiscoveryFormat.NotAcceptable)]
    public void Aggregated_ranges_must_match_exactly(string accept, DiscoveryFormat expected)
    {
        Assert.Equal(expected, DiscoveryNegotiation.Negotiate(accept));
    }

    [Theory]
    [InlineData("application/json;as=Table;v=v1;g=meta.k8s.io")]
    [InlineData("application/vnd.kubernetes.protobuf")]
    [InlineData("text/html")]
    [InlineData("application/yaml")]
    public void Unservable_accept_lists_are_not_acceptable(string accept)
    {
        Assert.Equal(DiscoveryFormat.NotAcceptable, DiscoveryNegotiation.Negotiate(accept));
    }

    [Fact]
    public void A_substring_match_is_not_enough()
    {
        // "v=v2;" appears inside the header, but only as part of a parameter value of another media range.
        const string accept = "application/vnd.example;note=\"v=v2;as=APIGroupDiscoveryList\", application/json";

        Assert.Equal(DiscoveryFormat.Legacy, DiscoveryNegotiation.Negotiate(accept));
    }

    [Fact]
    public void Aggregated_api_versions_follow_the_format()
    {
        Assert.Equal("apidiscovery.k8s.io/v2", DiscoveryNegotiation.AggregatedApiVersion(DiscoveryFormat.AggregatedV2));
        Assert.Equal("apidiscovery.k8s.io/v2beta1", DiscoveryNegotiation.AggregatedApiVersion(DiscoveryFormat.AggregatedV2Beta1));
        Assert.Throws<ArgumentOutOfRangeException>(() => DiscoveryNegotiation.ContentType(DiscoveryFormat.NotAcceptable));
    }
}
