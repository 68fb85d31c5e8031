using System.Text.Json.Nodes;
using Korral.ApiServer.Tests.Fixtures;

namespace Korral.ApiServer.Tests.Rest;

/// <summary>Objects held by finalizers, and namespace existence and termination.</summary>
public sealed class FinalizerAndNamespaceTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private ApiClient Api => fixture.Api;

    [Fact]
    public async Task Object_with_finalizer_stays_until_the_finalizer_is_removed()
    {
        var ns = await fixture.NewNamespaceAsync();
        var path = $"/api/v1/namespaces/{ns}/configmaps/held";
        var cm = Objects.ConfigMap("held");
        cm["metadata"]!["finalizers"] = new JsonArray("example.com/hold");
        await Api.CreateAsync($"/api/v1/namespaces/{ns}/configmaps", cm);

        // Upstream answers 200 with the object (now carrying deletionTimestamp): its delete handler only answers 202
        // when the object stays and the request set orphanDependents=false (apiserver endpoints/handlers/delete.go).
        var deleted = await Api.DeleteAsync(path);
        ApiAssert.Code(200, deleted);
        Assert.Equal("ConfigMap", (string?)deleted.Object["kind"]);
        Assert.NotNull((string?)deleted.Object["metadata"]!["deletionTimestamp"]);
        Assert.Equal(0, deleted.Object["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<long>());

        var marked = await Api.ReadAsync(path);
        Assert.NotNull((string?)marked["metadata"]!["deletionTimestamp"]);
        Assert.Equal(["example.com/hold"], marked["metadata"]!["finalizers"]!.AsArray().Select(f => (string?)f));

        // Deleting again changes nothing and still answers 200.
        ApiAssert.Code(200, await Api.DeleteAsync(path));
        Assert.Equal(ApiAssert.Rv(marked), ApiAssert.Rv(await Api.ReadAsync(path)));

        // Removing the finalizer by an update lets the object go.
        var released = marked.DeepClone().AsObject();
        released["metadata"]!["finalizers"] = new JsonArray();
        ApiAssert.Code(200, await Api.PutAsync(path, released));
        ApiAssert.Failure(await Api.GetAsync(path), 404, "NotFound", "configmaps \"held\" not found");
    }

    [Fact]
    public async Task Finalizer_removed_by_merge_patch_releases_the_object()
    {
        var ns = await fixture.NewNamespaceAsync();
        var path = $"/api/v1/namespaces/{ns}/configmaps/held";
        var cm = Objects.ConfigMap("held");
        cm["metadata"]!["finalizers"] = new JsonArray("example.com/a", "example.com/b");
        await Api.CreateAsync($"/api/v1/namespaces/{ns}/configmaps", cm);
        ApiAssert.Code(200, await Api.DeleteAsync(path));

        ApiAssert.Code(200, await Api.PatchAsync(path, """{"metadata":{"finalizers":["example.com/b"]}}"""));
        Assert.Equal(["example.com/b"], (await Api.ReadAsync(path))["metadata"]!["finalizers"]!.AsArray().Select(f => (string?)f));

        ApiAssert.Code(200, await Api.PatchAsync(path, """{"metadata":{"finalizers":null}}"""));
        ApiAssert.Code(404, await Api.GetAsync(path));
    }

    [Fact]
    public async Task Creating_in_a_missing_namespace_is_404()
    {
        var response = await Api.PostAsync("/api/v1/namespaces/nope/configmaps", Objects.ConfigMap("x"));
        var status = ApiAssert.Failure(response, 404, "NotFound", "namespaces \"nope\" not found");
        Assert.Equal("nope", (string?)status["details"]!["name"]);
        Assert.Equal("namespaces", (string?)status["details"]!["kind"]);
        ApiAssert.Code(404, await Api.GetAsync("/api/v1/namespaces/nope/configmaps/x"));
    }

    [Fact]
    public async Task New_namespace_is_Active_with_the_kubernetes_finalizer()
    {
        var name = $"ns-{Guid.NewGuid():N}"[..16];
        var created = await Api.CreateAsync("/api/v1/namespaces", Objects.Namespace(name));
        Assert.Equal("Active", (string?)created["status"]!["phase"]);
        Assert.Equal(["kubernetes"], created["spec"]?["finalizers"]?.AsArray().Select(f => (string?)f) ?? []);
    }

    [Fact]
    public async Task New_namespace_is_labelled_with_its_name()
    {
        var name = $"ns-{Guid.NewGuid():N}"[..16];
        var created = await Api.CreateAsync("/api/v1/namespaces", Objects.Namespace(name));
        Assert.Equal(name, (string?)created["metadata"]!["labels"]?["kubernetes.io/metadata.name"]);
    }

    [Fact]
    public async Task Deleted_namespace_is_Terminating_and_refuses_new_content()
    {
        var ns = await fixture.NewNamespaceAsync();
        await Api.CreateAsync($"/api/v1/namespaces/{ns}/configmaps", Objects.ConfigMap("before"));

        var deleted = await Api.DeleteAsync($"/api/v1/namespaces/{ns}");
        ApiAssert.Code(200, deleted);
        Assert.Equal("Namespace", (string?)deleted.Object["kind"]);
        Assert.Equal("Terminating", (string?)deleted.Object["status"]?["phase"]);

        var terminating = await Api.ReadAsync($"/api/v1/namespaces/{ns}");
        Assert.Equal("Terminating", (string?)terminating["status"]!["phase"]);
        Assert.NotNull((string?)terminating["metadata"]!["deletionTimestamp"]);

        var refused = await Api.PostAsync($"/api/v1/namespaces/{ns}/configmaps", Objects.ConfigMap("after"));
        var status = ApiAssert.Failure(refused, 403, "Forbidden",
            $"configmaps \"after\" is forbidden: unable to create new content in namespace {ns} because it is being terminated");
        Assert.Equal("configmaps", (string?)status["details"]!["kind"]);
        ApiAssert.Code(404, await Api.GetAsync($"/api/v1/namespaces/{ns}/configmaps/after"));

        // What is in it can still be read (the namespace controller empties it).
        await Api.ReadAsync($"/api/v1/namespaces/{ns}/configmaps/before");
    }

    [Fact]
    public async Task Namespace_finalize_subresource_lets_a_terminating_namespace_go()
    {
        var ns = await fixture.NewNamespaceAsync();
        ApiAssert.Code(200, await Api.DeleteAsync($"/api/v1/namespaces/{ns}"));
        var terminating = await Api.ReadAsync($"/api/v1/namespaces/{ns}");

        var finalized = terminating.DeepClone().AsObject();
        finalized["spec"] = new JsonObject { ["finalizers"] = new JsonArray() };
        ApiAssert.Code(200, await Api.PutAsync($"/api/v1/namespaces/{ns}/finalize", finalized));
        ApiAssert.Failure(await Api.GetAsync($"/api/v1/namespaces/{ns}"), 404, "NotFound", $"namespaces \"{ns}\" not found");
    }
}
