using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Korral.ApiServer.Tests.Fixtures;
using Microsoft.AspNetCore.Http;

namespace Korral.ApiServer.Tests.PodLog;

/// <summary>
/// GET pods/{name}/log against fake kubelets (upstream's LogREST, LogLocation, NodeConnectionInfoGetter and
/// GenericHttpResponseChecker): option checks, container choice, the kubelet URL and query, the client certificate,
/// refusals passed on as Status, unreachable and untrusted kubelets, and streaming.
/// </summary>
public sealed class PodLogTests(PodLogFixture fixture) : IClassFixture<PodLogFixture>
{
    private ApiClient Api => fixture.Api;

    private FakeKubelet Kubelet => fixture.Kubelet;

    private async Task<string> PodAsync(string node = "node-1", string name = "web", params string[] containers)
    {
        var ns = await fixture.NewNamespaceAsync();
        var pod = Objects.Pod(name, nodeName: node.Length == 0 ? null : node);
        if (containers.Length > 0)
        {
            pod["spec"]!["containers"] = new JsonArray(containers.Select(c => (JsonNode)new JsonObject { ["name"] = c, ["image"] = "busybox" }).ToArray());
        }

        await Api.CreateAsync($"/api/v1/namespaces/{ns}/pods", pod);
        return ns;
    }

    private static string LogPath(string ns, string query = "", string pod = "web") => $"/api/v1/namespaces/{ns}/pods/{pod}/log{query}";

    private (string PathAndQuery, string? ClientSubject) LastKubeletRequest()
    {
        Assert.True(Kubelet.Requests.TryDequeue(out var last), "the kubelet got no request");
        while (Kubelet.Requests.TryDequeue(out var next))
        {
            last = next;
        }

        return last;
    }

    [Fact]
    public async Task Logs_come_from_the_kubelet_of_the_pods_node()
    {
        var ns = await PodAsync();
        Kubelet.Handler = context => context.Response.WriteAsync("line 1\nline 2\n");

        var response = await Api.GetAsync(LogPath(ns));

        ApiAssert.Code(200, response);
        Assert.Equal("text/plain", response.ContentType);
        Assert.Equal("line 1\nline 2\n", response.Text);
        var (path, subject) = LastKubeletRequest();
        Assert.Equal($"/containerLogs/{ns}/web/main", path);
        Assert.Equal("O=system:masters, CN=kube-apiserver-kubelet-client", subject);
    }

    [Theory]
    [InlineData("?container=main", "")]
    [InlineData("?container=main&follow=true&tailLines=10", "?follow=true&tailLines=10")]
    [InlineData("?previous=1&timestamps=true&sinceSeconds=3600", "?previous=true&sinceSeconds=3600&timestamps=true")]
    [InlineData("?limitBytes=5&sinceTime=2026-01-01T10:00:00Z", "?limitBytes=5&sinceTime=2026-01-01T10%3A00%3A00Z")]
    [InlineData("?sinceTime=2026-01-01T12:00:00.5%2B02:00", "?sinceTime=2026-01-01T12%3A00%3A00%2B02%3A00")]
    [InlineData("?follow=false&previous=f&timestamps=0&tailLines=", "")]
    [InlineData("?follow&insecureSkipTLSVerifyBackend=false", "?follow=true")]
    public async Task Options_reach_the_kubelet_as_upstream_encodes_them(string query, string kubeletQuery)
    {
        var ns = await PodAsync();
        ApiAssert.Code(200, await Api.GetAsync(LogPath(ns, query)));
        Assert.Equal($"/containerLogs/{ns}/web/main{kubeletQuery}", LastKubeletRequest().PathAndQuery);
    }

    [Fact]
    public async Task The_container_is_chosen_and_checked_as_upstream()
    {
        var ns = await fixture.NewNamespaceAsync();
        var pod = Objects.Pod("web", nodeName: "node-1");
        pod["spec"]!["initContainers"] = new JsonArray(new JsonObject { ["name"] = "setup", ["image"] = "busybox" });
        pod["spec"]!["containers"] = new JsonArray(
            new JsonObject { ["name"] = "a", ["image"] = "busybox" },
            new JsonObject { ["name"] = "b", ["image"] = "busybox" });
        await Api.CreateAsync($"/api/v1/namespaces/{ns}/pods", pod);

        ApiAssert.Failure(await Api.GetAsync(LogPath(ns)), 400, "BadRequest", "a container name must be specified for pod web, choose one of: [setup a b]");
        ApiAssert.Failure(await Api.GetAsync(LogPath(ns, "?container=c")), 400, "BadRequest", "container c is not valid for pod web");

        ApiAssert.Code(200, await Api.GetAsync(LogPath(ns, "?container=setup")));
        Assert.Equal($"/containerLogs/{ns}/web/setup", LastKubeletRequest().PathAndQuery);
        ApiAssert.Code(200, await Api.GetAsync(LogPath(ns, "?container=b")));
        Assert.Equal($"/containerLogs/{ns}/web/b", LastKubeletRequest().PathAndQuery);
    }

    [Fact]
    public async Task A_missing_pod_is_not_found()
    {
        var ns = await fixture.NewNamespaceAsync();
        var status = ApiAssert.Failure(await Api.GetAsync(LogPath(ns, pod: "nope")), 404, "NotFound", "pods \"nope\" not found");
        Assert.Equal("pods", (string?)status["details"]?["kind"]);
    }

    [Fact]
    public async Task A_pod_not_bound_to_a_node_has_no_content()
    {
        var ns = await PodAsync(node: "");
        var response = await Api.GetAsync(LogPath(ns));
        ApiAssert.Code(204, response);
        Assert.Empty(response.Bytes);
    }

    [Theory]
    [InlineData("?tailLines=-1", "PodLogOptions \"web\" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0")]
    [InlineData("?limitBytes=0", "PodLogOptions \"web\" is invalid: limitBytes: Invalid value: 0: must be greater than 0")]
    [InlineData("?sinceSeconds=0", "PodLogOptions \"web\" is invalid: sinceSeconds: Invalid value: 0: must be greater than 0")]
    [InlineData("?sinceSeconds=5&sinceTime=2026-01-01T00:00:00Z",
        "PodLogOptions \"web\" is invalid: : Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified")]
    [InlineData("?tailLines=-1&limitBytes=0",
        "PodLogOptions \"web\" is invalid: [tailLines: Invalid value: -1: must be greater than or equal to 0, limitBytes: Invalid value: 0: must be greater than 0]")]
    public async Task Invalid_options_are_refused_before_the_pod_is_read(string query, string message)
    {
        var ns = await fixture.NewNamespaceAsync();
        var status = ApiAssert.Failure(await Api.GetAsync(LogPath(ns, query)), 422, "Invalid", message);
        Assert.Equal("PodLogOptions", (string?)status["details"]?["kind"]);
    }

    [Theory]
    [InlineData("?tailLines=ten", "strconv.ParseInt: parsing \"ten\": invalid syntax")]
    [InlineData("?sinceTime=yesterday", "parsing time \"yesterday\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"yesterday\" as \"2006\"")]
    public async Task Options_that_do_not_convert_are_bad_requests(string query, string message)
    {
        var ns = await PodAsync();
        ApiAssert.Failure(await Api.GetAsync(LogPath(ns, query)), 400, "BadRequest", message);
    }

    [Fact]
    public async Task A_missing_node_is_not_found()
    {
        var ns = await PodAsync(node: "node-gone");
        ApiAssert.Failure(await Api.GetAsync(LogPath(ns)), 404, "NotFound", "nodes \"node-gone\" not found");
    }

    [Fact]
    public async Task A_node_without_a_usable_address_is_an_error_without_reason()
    {
        var ns = await PodAsync(node: "node-no-address");
        var response = await Api.GetAsync(LogPath(ns));
        ApiAssert.Code(500, response);
        Assert.Null(response.Object["reason"]);
        Assert.Equal("no preferred addresses found; known addresses: []", (string?)response.Object["message"]);
    }

    [Theory]
    [InlineData("node-default-port")]
    [InlineData("node-hostname")]
    public async Task The_kubelet_is_found_by_default_port_and_by_host_name(string node)
    {
        var ns = await PodAsync(node: node);
        ApiAssert.Code(200, await Api.GetAsync(LogPath(ns)));
        Assert.Equal($"/containerLogs/{ns}/web/main", LastKubeletRequest().PathAndQuery);
    }

    [Theory]
    [InlineData(400, "container \"main\" in pod \"web\" is waiting to start: ContainerCreating", "BadRequest",
        "container \"main\" in pod \"web\" is waiting to start: ContainerCreating")]
    [InlineData(404, "pod \"web\" does not exist", "NotFound", "the server could not find the requested resource ( pods/log web)")]
    [InlineData(403, "Forbidden (user=kube-apiserver-kubelet-client, verb=get, resource=nodes, subresource=proxy)", "Forbidden",
        "Forbidden (user=kube-apiserver-kubelet-client, verb=get, resource=nodes, subresource=proxy) ( pods/log web)")]
    [InlineData(401, "Unauthorized", "Unauthorized", "the server has asked for the client to provide credentials ( pods/log web)")]
    [InlineData(500, "boom", "InternalError", "Internal error occurred: boom")]
    [InlineData(502, "bad gateway", "InternalError", "an error on the server (\"bad gateway\") has prevented the request from succeeding ( pods/log web)")]
    public async Task Kubelet_refusals_become_statuses_as_upstream(int code, string text, string reason, string message)
    {
        var ns = await PodAsync();
        Kubelet.Handler = async context =>
        {
            context.Response.StatusCode = code;
            await context.Response.WriteAsync(text);
        };

        var status = ApiAssert.Failure(await Api.GetAsync(LogPath(ns)), code, reason, message);
        if (code is not (400 or 500))
        {
            Assert.Equal("pods/log", (string?)status["details"]?["kind"]);
            Assert.Equal("web", (string?)status["details"]?["name"]);
        }

        Kubelet.Handler = context => context.Response.WriteAsync("hello\n");
    }

    [Fact]
    public async Task An_unreachable_kubelet_is_reported_as_go_words_it()
    {
        var ns = await PodAsync(node: "node-closed");
        var response = await Api.GetAsync(LogPath(ns, "?follow=true"));
        ApiAssert.Code(500, response);
        Assert.Null(response.Object["reason"]);
        var message = (string?)response.Object["message"] ?? "";
        Assert.Matches($"^Get \"https://127\\.0\\.0\\.1:(\\d+)/containerLogs/{ns}/web/main\\?follow=true\": dial tcp 127\\.0\\.0\\.1:\\1: connect: connection refused$", message);
    }

    [Fact]
    public async Task An_untrusted_kubelet_is_refused_unless_verification_is_skipped()
    {
        var ns = await PodAsync(node: "node-untrusted");
        var refused = await Api.GetAsync(LogPath(ns));
        ApiAssert.Code(500, refused);
        Assert.EndsWith("/main\": tls: failed to verify certificate: x509: certificate signed by unknown authority", (string?)refused.Object["message"]);
        Assert.Empty(fixture.Untrusted.Requests);

        var skipped = await Api.GetAsync(LogPath(ns, "?insecureSkipTLSVerifyBackend=true"));
        ApiAssert.Code(200, skipped);
        Assert.Equal("hello\n", skipped.Text);
        Assert.True(fixture.Untrusted.Requests.TryDequeue(out var request));
        Assert.Equal($"/containerLogs/{ns}/web/main", request.PathAndQuery);
    }

    [Fact]
    public async Task A_followed_log_streams_each_chunk_as_the_kubelet_sends_it()
    {
        var ns = await PodAsync();
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var kubeletSawDisconnect = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Kubelet.Handler = async context =>
        {
            await context.Response.WriteAsync("first\n");
            await context.Response.Body.FlushAsync();
            await second.Task;
            await context.Response.WriteAsync("second\n");
            await context.Response.Body.FlushAsync();
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                kubeletSawDisconnect.SetResult();
            }
        };

        using (var request = new HttpRequestMessage(HttpMethod.Get, LogPath(ns, "?follow=true")) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact })
        using (var response = await Api.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var reader = new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8);
            Assert.Equal("first", await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));
            second.SetResult();
            Assert.Equal("second", await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        }

        // kubectl stopping (Ctrl-C) closes the kubelet stream too.
        await kubeletSawDisconnect.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Kubelet.Handler = context => context.Response.WriteAsync("hello\n");
    }
}
