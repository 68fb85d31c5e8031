using System.Text.Json.Nodes;
using Korral.ApiServer.Tests.Fixtures;

namespace Korral.ApiServer.Tests.Rest;

/// <summary>pods/binding and graceful deletion of bound pods.</summary>
public sealed class PodLifecycleTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private ApiClient Api => fixture.Api;

    [Fact]
    public async Task Binding_sets_nodeName_and_a_second_binding_is_a_conflict()
    {
        var ns = await fixture.NewNamespaceAsync();
        var pods = $"/api/v1/namespaces/{ns}/pods";
        await Api.CreateAsync(pods, Objects.Pod("p"));

        var bound = await Api.PostAsync($"{pods}/p/binding", Objects.Binding("p", "node-a"));
        ApiAssert.Code(201, bound);
        Assert.Equal("Status", (string?)bound.Object["kind"]);
        Assert.Equal("Success", (string?)bound.Object["status"]);

        var pod = await Api.ReadAsync($"{pods}/p");
        Assert.Equal("node-a", (string?)pod["spec"]!["nodeName"]);
        var scheduled = pod["status"]!["conditions"]!.AsArray().Single(c => (string?)c!["type"] == "PodScheduled");
        Assert.Equal("True", (string?)scheduled!["status"]);

        // Upstream wraps the refusal as a conflict on "pods/binding".
        var second = await Api.PostAsync($"{pods}/p/binding", Objects.Binding("p", "node-b"));
        ApiAssert.Failure(second, 409, "Conflict", "Operation cannot be fulfilled on pods/binding \"p\": pod p is already assigned to node \"node-a\"");
        Assert.Equal("node-a", (string?)(await Api.ReadAsync($"{pods}/p"))["spec"]!["nodeName"]);
    }

    [Fact]
    public async Task Binding_a_missing_pod_is_404()
    {
        var ns = await fixture.NewNamespaceAsync();
        ApiAssert.Failure(await Api.PostAsync($"/api/v1/namespaces/{ns}/pods/ghost/binding", Objects.Binding("ghost", "node-a")), 404, "NotFound",
            "pods \"ghost\" not found");
    }

    [Fact]
    public async Task Unbound_pod_is_deleted_at_once()
    {
        var ns = await fixture.NewNamespaceAsync();
        var path = $"/api/v1/namespaces/{ns}/pods/p";
        await Api.CreateAsync($"/api/v1/namespaces/{ns}/pods", Objects.Pod("p"));
        var deleted = await Api.DeleteAsync(path, new JsonObject { ["propagationPolicy"] = "Background" });
        ApiAssert.Code(200, deleted);
        Assert.Equal("Pod", (string?)deleted.Object["kind"]);
        ApiAssert.Failure(await Api.GetAsync(path), 404, "NotFound", "pods \"p\" not found");
    }

    [Fact]
    public async Task Bound_pod_is_deleted_gracefully_until_a_zero_grace_delete()
    {
        var ns = await fixture.NewNamespaceAsync();
        var path = $"/api/v1/namespaces/{ns}/pods/p";
        await Api.CreateAsync($"/api/v1/namespaces/{ns}/pods", Objects.Pod("p"));
        ApiAssert.Code(201, await Api.PostAsync($"{path}/binding", Objects.Binding("p", "node-a")));

        // kubectl delete pod p: the pod is marked, with the default 30 s grace period, and stays.
        var first = await Api.DeleteAsync(path, new JsonObject { ["propagationPolicy"] = "Background" });
        ApiAssert.Code(200, first);
        Assert.Equal("Pod", (string?)first.Object["kind"]);
        Assert.NotNull((string?)first.Object["metadata"]!["deletionTimestamp"]);
        Assert.Equal(30, first.Object["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<long>());

        var stillThere = await Api.ReadAsync(path);
        Assert.NotNull((string?)stillThere["metadata"]!["deletionTimestamp"]);
        Assert.Contains("p", ApiAssert.Names(await Api.ReadAsync($"/api/v1/namespaces/{ns}/pods")));

        // The kubelet's confirmation (or kubectl delete --grace-period=0 --force): gone.
        var second = await Api.DeleteAsync(path, new JsonObject { ["gracePeriodSeconds"] = 0, ["propagationPolicy"] = "Background" });
        ApiAssert.Code(200, second);
        ApiAssert.Failure(await Api.GetAsync(path), 404, "NotFound", "pods \"p\" not found");
    }

    [Fact]
    public async Task Bound_pod_takes_its_own_termination_grace_period()
    {
        var ns = await fixture.NewNamespaceAsync();
        var path = $"/api/v1/namespaces/{ns}/pods/p";
        var pod = Objects.Pod("p");
        pod["spec"]!["terminationGracePeriodSeconds"] = 5;
        await Api.CreateAsync($"/api/v1/namespaces/{ns}/pods", pod);
        ApiAssert.Code(201, await Api.PostAsync($"{path}/binding", Objects.Binding("p", "node-a")));

        var deleted = await Api.DeleteAsync(path);
        ApiAssert.Code(200, deleted);
        Assert.Equal(5, deleted.Object["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<long>());

        // gracePeriodSeconds=0 as a query parameter works as well as in the body.
        ApiAssert.Code(200, await Api.DeleteAsync($"{path}?gracePeriodSeconds=0"));
        ApiAssert.Code(404, await Api.GetAsync(path));
    }
}
