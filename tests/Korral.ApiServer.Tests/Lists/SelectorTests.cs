using System.Text.Json.Nodes;
using Korral.ApiServer.Tests.Fixtures;

namespace Korral.ApiServer.Tests.Lists;

/// <summary>Label and field selectors on lists, and their 400s.</summary>
public sealed class SelectorTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private ApiClient Api => fixture.Api;

    private async Task<string> SeedConfigMapsAsync()
    {
        var ns = await fixture.NewNamespaceAsync();
        var cms = $"/api/v1/namespaces/{ns}/configmaps";
        await Api.CreateAsync(cms, Objects.ConfigMap("a", labels: Objects.Labels(("app", "web"), ("tier", "front"))));
        await Api.CreateAsync(cms, Objects.ConfigMap("b", labels: Objects.Labels(("app", "web"), ("tier", "back"))));
        await Api.CreateAsync(cms, Objects.ConfigMap("c", labels: Objects.Labels(("app", "db"))));
        await Api.CreateAsync(cms, Objects.ConfigMap("d"));
        return ns;
    }

    [Theory]
    [InlineData("app=web", "a,b")]
    [InlineData("app==web", "a,b")]
    [InlineData("app!=web", "c,d")]
    [InlineData("app in (web,db)", "a,b,c")]
    [InlineData("app notin (web)", "c,d")]
    [InlineData("tier", "a,b")]
    [InlineData("!tier", "c,d")]
    [InlineData("app=web,tier=back", "b")]
    [InlineData("app=web,tier notin (front)", "b")]
    [InlineData("app=nothing", "")]
    public async Task Label_selector(string selector, string expected)
    {
        var ns = await SeedConfigMapsAsync();
        var list = await Api.ReadAsync($"/api/v1/namespaces/{ns}/configmaps?labelSelector={Uri.EscapeDataString(selector)}");
        Assert.Equal(expected, string.Join(",", ApiAssert.Names(list)));
    }

    [Theory]
    [InlineData("app in (web")]
    [InlineData("app=web=x")]
    [InlineData("!")]
    [InlineData("app in web")]
    [InlineData("bad key!=x")]
    public async Task Malformed_label_selector_is_400(string selector)
    {
        var ns = await fixture.NewNamespaceAsync();
        ApiAssert.Failure(await Api.GetAsync($"/api/v1/namespaces/{ns}/configmaps?labelSelector={Uri.EscapeDataString(selector)}"), 400, "BadRequest");
    }

    [Fact]
    public async Task Field_selector_on_metadata_name_and_namespace()
    {
        var ns = await SeedConfigMapsAsync();
        var byName = await Api.ReadAsync($"/api/v1/namespaces/{ns}/configmaps?fieldSelector=metadata.name%3Db");
        Assert.Equal(["b"], ApiAssert.Names(byName));

        var notName = await Api.ReadAsync($"/api/v1/namespaces/{ns}/configmaps?fieldSelector=metadata.name!%3Db");
        Assert.Equal(["a", "c", "d"], ApiAssert.Names(notName));

        // Across namespaces, metadata.namespace narrows to one.
        var byNamespace = await Api.ReadAsync($"/api/v1/configmaps?fieldSelector=metadata.namespace%3D{ns}");
        Assert.Equal(["a", "b", "c", "d"], ApiAssert.Names(byNamespace));
        Assert.All(byNamespace["items"]!.AsArray(), i => Assert.Equal(ns, (string?)i!["metadata"]!["namespace"]));

        var both = await Api.ReadAsync($"/api/v1/configmaps?fieldSelector={Uri.EscapeDataString($"metadata.namespace={ns},metadata.name=c")}&labelSelector=app%3Ddb");
        Assert.Equal(["c"], ApiAssert.Names(both));
    }

    [Fact]
    public async Task Field_selector_on_pod_nodeName_and_phase()
    {
        var ns = await fixture.NewNamespaceAsync();
        var pods = $"/api/v1/namespaces/{ns}/pods";
        await Api.CreateAsync(pods, Objects.Pod("on-a", nodeName: "node-a"));
        await Api.CreateAsync(pods, Objects.Pod("on-b", nodeName: "node-b"));
        await Api.CreateAsync(pods, Objects.Pod("pending"));
        var running = await Api.ReadAsync($"{pods}/on-b");
        running["status"]!["phase"] = "Running";
        ApiAssert.Code(200, await Api.PutAsync($"{pods}/on-b/status", running));

        Assert.Equal(["on-a"], ApiAssert.Names(await Api.ReadAsync($"{pods}?fieldSelector=spec.nodeName%3Dnode-a")));
        // The scheduler's query: pods not yet bound.
        Assert.Equal(["pending"], ApiAssert.Names(await Api.ReadAsync($"{pods}?fieldSelector={Uri.EscapeDataString("spec.nodeName=")}")));
        Assert.Equal(["on-b"], ApiAssert.Names(await Api.ReadAsync($"{pods}?fieldSelector=status.phase%3DRunning")));
        Assert.Equal(["on-a", "pending"], ApiAssert.Names(await Api.ReadAsync($"{pods}?fieldSelector=status.phase%3DPending")));
        Assert.Equal(["on-a"], ApiAssert.Names(await Api.ReadAsync(
            $"{pods}?fieldSelector={Uri.EscapeDataString("status.phase!=Running,spec.nodeName!=")}")));
    }

    [Fact]
    public async Task Field_selector_on_event_involvedObject()
    {
        var ns = await fixture.NewNamespaceAsync();
        var events = $"/api/v1/namespaces/{ns}/events";
        await Api.CreateAsync(events, Objects.Event("e1", ns, "p1"));
        await Api.CreateAsync(events, Objects.Event("e2", ns, "p2"));
        await Api.CreateAsync(events, Objects.Event("e3", ns, "p1"));

        Assert.Equal(["e1", "e3"], ApiAssert.Names(await Api.ReadAsync($"{events}?fieldSelector=involvedObject.name%3Dp1")));
        // kubectl describe's query (comma = AND).
        var describe = Uri.EscapeDataString($"involvedObject.namespace={ns},involvedObject.kind=Pod,involvedObject.name=p2");
        Assert.Equal(["e2"], ApiAssert.Names(await Api.ReadAsync($"{events}?fieldSelector={describe}")));
    }

    [Theory]
    // Kinds without field label conversions of their own get apimachinery's DefaultMetaV1FieldSelectorConversion message.
    [InlineData("/api/v1/namespaces/{ns}/configmaps", "spec.foo=bar", "\"spec.foo\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"")]
    // Pods, events, nodes… have their own conversion functions, which say "field label not supported".
    [InlineData("/api/v1/namespaces/{ns}/pods", "spec.containers=x", "field label not supported: spec.containers")]
    [InlineData("/api/v1/namespaces/{ns}/events", "involvedObject.color=red", "field label not supported: involvedObject.color")]
    public async Task Unsupported_field_label_is_400(string collection, string selector, string message)
    {
        var ns = await fixture.NewNamespaceAsync();
        var response = await Api.GetAsync($"{collection.Replace("{ns}", ns)}?fieldSelector={Uri.EscapeDataString(selector)}");
        ApiAssert.Failure(response, 400, "BadRequest", message);
    }

    [Theory]
    [InlineData("metadata.name")]
    [InlineData("metadata.name~x")]
    [InlineData("=x")]
    public async Task Malformed_field_selector_is_400(string selector)
    {
        var ns = await fixture.NewNamespaceAsync();
        ApiAssert.Failure(await Api.GetAsync($"/api/v1/namespaces/{ns}/configmaps?fieldSelector={Uri.EscapeDataString(selector)}"), 400, "BadRequest");
    }

    [Fact]
    public async Task Cluster_wide_list_of_a_namespaced_resource()
    {
        var ns1 = await SeedConfigMapsAsync();
        var ns2 = await fixture.NewNamespaceAsync();
        await Api.CreateAsync($"/api/v1/namespaces/{ns2}/pods", Objects.Pod("x", labels: Objects.Labels(("mark", ns2))));
        await Api.CreateAsync($"/api/v1/namespaces/{ns1}/pods", Objects.Pod("x", labels: Objects.Labels(("mark", ns2))));

        // kubectl get pods -A
        var all = await Api.ReadAsync("/api/v1/pods");
        Assert.Equal("PodList", (string?)all["kind"]);
        var mine = all["items"]!.AsArray()
            .Where(p => (string?)p!["metadata"]!["labels"]?["mark"] == ns2)
            .Select(p => (string?)p!["metadata"]!["namespace"])
            .Order()
            .ToList();
        Assert.Equal(new[] { ns1, ns2 }.Order(), mine);

        var selected = await Api.ReadAsync($"/api/v1/pods?labelSelector=mark%3D{ns2}");
        Assert.Equal(2, selected["items"]!.AsArray().Count);
    }
}
