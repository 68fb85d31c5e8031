using System.Net;
using System.Text.Json.Nodes;
using Korral.ApiServer.Tests.Fixtures;
using Korral.ApiServer.Tests.PodLog;

namespace Korral.ApiServer.Tests.Streaming;

/// <summary>
/// What pods/exec, /attach and /portforward check before any kubelet is asked, in upstream's order (ConnectResource,
/// then ExecLocation/AttachLocation/PortForwardLocation, then the upgrade-aware proxy): credentials, dryRun, the
/// options, the pod, its container and node, and that the request is an upgrade at all.
/// </summary>
public sealed class ConnectChecksTests(PodLogFixture fixture) : IClassFixture<PodLogFixture>
{
    private ApiClient Api => fixture.Api;

    private async Task<string> PodAsync(string? node = "node-1", Action<JsonObject>? customize = null)
    {
        var ns = await fixture.NewNamespaceAsync();
        var pod = Objects.Pod("web", nodeName: node);
        customize?.Invoke(pod);
        await Api.CreateAsync($"/api/v1/namespaces/{ns}/pods", pod);
        return ns;
    }

    public static TheoryData<string, string> Subresources => new()
    {
        { "GET", "exec?command=ls&stdout=true" },
        { "POST", "exec?command=ls&stdout=true" },
        { "GET", "attach?stdout=true" },
        { "POST", "attach?stdout=true" },
        { "GET", "portforward?ports=80" },
        { "POST", "portforward" },
    };

    [Theory]
    [MemberData(nameof(Subresources))]
    public async Task A_request_that_does_not_upgrade_is_a_bad_request(string method, string subresource)
    {
        var ns = await PodAsync();
        var response = await Api.SendAsync(new HttpMethod(method), $"/api/v1/namespaces/{ns}/pods/web/{subresource}");
        ApiAssert.Failure(response, 400, "BadRequest", "Upgrade request required");
        Assert.DoesNotContain(fixture.Kubelet.Requests, r => r.PathAndQuery.Contains(ns, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Subresources))]
    public async Task Anonymous_callers_are_unauthorized(string method, string subresource)
    {
        var ns = await PodAsync();
        var anonymous = new ApiClient(fixture.Server.NewHttpClient(null, HttpVersion.Version11));
        ApiAssert.Failure(await anonymous.SendAsync(new HttpMethod(method), $"/api/v1/namespaces/{ns}/pods/web/{subresource}"), 401, "Unauthorized");
    }

    [Theory]
    [MemberData(nameof(Subresources))]
    public async Task Dry_runs_are_not_supported(string method, string subresource)
    {
        var ns = await PodAsync();
        var separator = subresource.Contains('?') ? '&' : '?';
        var response = await Api.SendAsync(new HttpMethod(method), $"/api/v1/namespaces/{ns}/pods/web/{subresource}{separator}dryRun=All");
        ApiAssert.Failure(response, 400, "BadRequest", "dryRun is not supported");
    }

    [Theory]
    [MemberData(nameof(Subresources))]
    public async Task A_missing_pod_is_not_found(string method, string subresource)
    {
        var ns = await fixture.NewNamespaceAsync();
        var response = await Api.SendAsync(new HttpMethod(method), $"/api/v1/namespaces/{ns}/pods/nope/{subresource}");
        ApiAssert.Failure(response, 404, "NotFound", "pods \"nope\" not found");
    }

    [Theory]
    [MemberData(nameof(Subresources))]
    public async Task A_pod_without_a_node_has_no_host_to_connect_to(string method, string subresource)
    {
        var ns = await PodAsync(node: null);
        var response = await Api.SendAsync(new HttpMethod(method), $"/api/v1/namespaces/{ns}/pods/web/{subresource}");
        ApiAssert.Failure(response, 400, "BadRequest", "pod web does not have a host assigned");
    }

    [Theory]
    [MemberData(nameof(Subresources))]
    public async Task A_missing_node_is_not_found(string method, string subresource)
    {
        var ns = await PodAsync(node: "node-gone");
        var response = await Api.SendAsync(new HttpMethod(method), $"/api/v1/namespaces/{ns}/pods/web/{subresource}");
        ApiAssert.Failure(response, 404, "NotFound", "nodes \"node-gone\" not found");
    }

    [Theory]
    [InlineData("exec?command=ls&stdout=true")]
    [InlineData("attach?stdout=true")]
    public async Task The_container_is_chosen_and_checked_as_upstream(string subresource)
    {
        var ns = await PodAsync(customize: pod =>
        {
            pod["spec"]!["initContainers"] = new JsonArray(new JsonObject { ["name"] = "setup", ["image"] = "busybox" });
            pod["spec"]!["containers"] = new JsonArray(
                new JsonObject { ["name"] = "a", ["image"] = "busybox" },
                new JsonObject { ["name"] = "b", ["image"] = "busybox" });
        });
        var path = $"/api/v1/namespaces/{ns}/pods/web/{subresource}";

        ApiAssert.Failure(await Api.GetAsync(path), 400, "BadRequest", "a container name must be specified for pod web, choose one of: [setup a b]");
        ApiAssert.Failure(await Api.GetAsync(path + "&container=c"), 400, "BadRequest", "container c is not valid for pod web");
        // A known container passes on to the next check.
        ApiAssert.Failure(await Api.GetAsync(path + "&container=setup"), 400, "BadRequest", "Upgrade request required");
    }

    [Theory]
    [InlineData("?ports=http", "cannot convert to []int32: strconv.ParseUint: parsing \"http\": invalid syntax")]
    [InlineData("?ports=70000", "cannot convert to []int32: strconv.ParseUint: parsing \"70000\": value out of range")]
    public async Task Port_forward_ports_that_do_not_convert_are_bad_requests(string query, string message)
    {
        var ns = await PodAsync();
        ApiAssert.Failure(await Api.GetAsync($"/api/v1/namespaces/{ns}/pods/web/portforward{query}"), 400, "BadRequest", message);
    }

    [Fact]
    public async Task Other_verbs_are_not_allowed()
    {
        var ns = await PodAsync();
        var response = await Api.SendAsync(HttpMethod.Put, $"/api/v1/namespaces/{ns}/pods/web/exec", "{}"u8.ToArray(), ApiClient.Json);
        Assert.Equal(405, response.Code);
    }
}
