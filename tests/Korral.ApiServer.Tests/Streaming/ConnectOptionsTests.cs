using Korral.ApiServer.Errors;
using Korral.ApiServer.Kubelets;
using Korral.Streaming.RemoteCommand;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Korral.ApiServer.Tests.Streaming;

/// <summary>
/// The options of exec, attach and port-forward as upstream's parameter codec reads them from the query, and the query
/// the kubelet gets (upstream's streamParams, encoded as Go's url.Values.Encode: keys sorted, '+' for spaces).
/// </summary>
public sealed class ConnectOptionsTests
{
    private static QueryCollection Query(string query) => new(QueryHelpers.ParseQuery(query));

    [Theory]
    [InlineData("?command=ls", "command=ls", false, false, false, false)]
    [InlineData("?command=echo&command=hi&container=p1&stderr=true&stdout=true", "command=echo&command=hi&error=1&output=1", false, true, true, false)]
    [InlineData("?command=sh&command=-c&command=echo%20a%26b%3Dc&stdin=true&stdout=true&tty=true",
        "command=sh&command=-c&command=echo+a%26b%3Dc&input=1&output=1&tty=1", true, true, false, true)]
    [InlineData("?stdin=1&stdout=f&stderr=False&tty=0&command=%2Fbin%2Fsh", "command=%2Fbin%2Fsh&input=1", true, false, false, false)]
    [InlineData("?stdin&stdout=yes", "input=1&output=1", true, true, false, false)]
    [InlineData("", "", false, false, false, false)]
    public void Exec_options_decode_and_reach_the_kubelet_as_upstream_encodes_them(string query, string kubeletQuery, bool stdin, bool stdout,
        bool stderr, bool tty)
    {
        var options = PodExecOptions.Decode(Query(query));

        Assert.Equal(new RemoteCommandStreams(stdin, stdout, stderr, tty), options.Streams);
        Assert.Equal(kubeletQuery, options.KubeletQuery());
    }

    [Fact]
    public void Exec_keeps_every_argument_in_order_and_the_first_container()
    {
        var options = PodExecOptions.Decode(Query("?command=b&container=one&command=a&container=two&command="));

        Assert.Equal(["b", "a", ""], options.Command);
        Assert.Equal("one", options.Container);
        Assert.Equal("command=b&command=a&command=", options.KubeletQuery());
    }

    [Theory]
    [InlineData("?container=p2&stderr=true&stdin=true&stdout=true", "p2", "error=1&input=1&output=1")]
    [InlineData("?stdin=true&stdout=true&tty=true&command=ignored", "", "input=1&output=1&tty=1")]
    [InlineData("?stdout=false", "", "")]
    public void Attach_options_have_no_command(string query, string container, string kubeletQuery)
    {
        var options = PodAttachOptions.Decode(Query(query));

        Assert.Equal(container, options.Container);
        Assert.Equal(kubeletQuery, options.KubeletQuery());
    }

    [Theory]
    [InlineData("", new int[0], "")]
    [InlineData("?ports=80", new[] { 80 }, "port=80")]
    [InlineData("?ports=80&ports=443", new[] { 80, 443 }, "port=80%2C443")]
    [InlineData("?ports=8080,9090&ports=0065535", new[] { 8080, 9090, 65535 }, "port=8080%2C9090%2C65535")]
    [InlineData("?ports=0", new[] { 0 }, "port=0")]
    public void Port_forward_ports_are_repeated_or_comma_separated(string query, int[] ports, string kubeletQuery)
    {
        var options = PodPortForwardOptions.Decode(Query(query));

        Assert.Equal(ports, options.Ports);
        Assert.Equal(kubeletQuery, options.KubeletQuery());
    }

    [Theory]
    [InlineData("?ports=http", "cannot convert to []int32: strconv.ParseUint: parsing \"http\": invalid syntax")]
    [InlineData("?ports=", "cannot convert to []int32: strconv.ParseUint: parsing \"\": invalid syntax")]
    [InlineData("?ports=80,", "cannot convert to []int32: strconv.ParseUint: parsing \"\": invalid syntax")]
    [InlineData("?ports=-1", "cannot convert to []int32: strconv.ParseUint: parsing \"-1\": invalid syntax")]
    [InlineData("?ports=%2B80", "cannot convert to []int32: strconv.ParseUint: parsing \"+80\": invalid syntax")]
    [InlineData("?ports=65536", "cannot convert to []int32: strconv.ParseUint: parsing \"65536\": value out of range")]
    [InlineData("?ports=99999x", "cannot convert to []int32: strconv.ParseUint: parsing \"99999x\": value out of range")]
    [InlineData("?ports=8x99999", "cannot convert to []int32: strconv.ParseUint: parsing \"8x99999\": invalid syntax")]
    public void Ports_that_do_not_convert_are_bad_requests_with_gos_words(string query, string message)
    {
        var error = Assert.Throws<ApiException>(() => PodPortForwardOptions.Decode(Query(query)));

        Assert.Equal(400, error.Code);
        Assert.Equal("BadRequest", error.Reason);
        Assert.Equal(message, error.Message);
    }
}
