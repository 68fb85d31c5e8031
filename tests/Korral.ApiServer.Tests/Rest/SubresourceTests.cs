using System.Text.Json.Nodes;
using Korral.ApiServer.Tests.Fixtures;

namespace Korral.ApiServer.Tests.Rest;

/// <summary>metadata.generation, the status subresource and the scale subresource of Deployments.</summary>
public sealed class SubresourceTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private ApiClient Api => fixture.Api;

    private static long Generation(JsonObject obj) => obj["metadata"]!["generation"]!.GetValue<long>();

    [Fact]
    public async Task Generation_starts_at_1_and_moves_only_on_spec_changes()
    {
        var ns = await fixture.NewNamespaceAsync();
        var path = $"/apis/apps/v1/namespaces/{ns}/deployments/web";
        var created = await Api.CreateAsync($"/apis/apps/v1/namespaces/{ns}/deployments", Objects.Deployment("web"));
        Assert.Equal(1, Generation(created));

        // A label change is metadata: no new generation.
        var labelled = created.DeepClone().AsObject();
        labelled["metadata"]!["labels"]!["tier"] = "front";
        var afterLabel = await Api.PutAsync(path, labelled);
        ApiAssert.Code(200, afterLabel);
        Assert.Equal(1, Generation(afterLabel.Object));

        // A status update: no new generation either.
        var withStatus = afterLabel.Object.DeepClone().AsObject();
        withStatus["status"] = new JsonObject { ["observedGeneration"] = 1, ["replicas"] = 1 };
        var afterStatus = await Api.PutAsync($"{path}/status", withStatus);
        ApiAssert.Code(200, afterStatus);
        Assert.Equal(1, Generation(afterStatus.Object));

        // A spec change: generation 2.
        var scaled = afterStatus.Object.DeepClone().AsObject();
        scaled["spec"]!["replicas"] = 3;
        var afterSpec = await Api.PutAsync(path, scaled);
        ApiAssert.Code(200, afterSpec);
        Assert.Equal(2, Generation(afterSpec.Object));

        // A merge patch of the template: generation 3.
        var patched = await Api.PatchAsync(path, """{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.28"}]}}}}""");
        ApiAssert.Code(200, patched);
        Assert.Equal(3, Generation(patched.Object));
        Assert.Equal(3, Generation(await Api.ReadAsync(path)));
    }

    [Fact]
    public async Task Status_subresource_changes_only_status_and_main_resource_ignores_status()
    {
        var ns = await fixture.NewNamespaceAsync();
        var path = $"/apis/apps/v1/namespaces/{ns}/deployments/web";
        var created = await Api.CreateAsync($"/apis/apps/v1/namespaces/{ns}/deployments", Objects.Deployment("web", replicas: 2));

        // PUT …/status with a changed spec and label: only status is taken.
        var viaStatus = created.DeepClone().AsObject();
        viaStatus["spec"]!["replicas"] = 9;
        viaStatus["metadata"]!["labels"]!["sneaky"] = "yes";
        viaStatus["status"] = new JsonObject { ["replicas"] = 2, ["readyReplicas"] = 1, ["observedGeneration"] = 1 };
        var statusUpdate = await Api.PutAsync($"{path}/status", viaStatus);
        ApiAssert.Code(200, statusUpdate);
        var afterStatus = await Api.ReadAsync(path);
        Assert.Equal(2, afterStatus["spec"]!["replicas"]!.GetValue<int>());
        Assert.Null(afterStatus["metadata"]!["labels"]!["sneaky"]);
        Assert.Equal(1, afterStatus["status"]!["readyReplicas"]!.GetValue<int>());

        // PUT on the object with a changed status: status stays as it was, the spec change is taken.
        var viaMain = afterStatus.DeepClone().AsObject();
        viaMain["status"] = new JsonObject { ["replicas"] = 50, ["readyReplicas"] = 50 };
        viaMain["spec"]!["replicas"] = 4;
        var mainUpdate = await Api.PutAsync(path, viaMain);
        ApiAssert.Code(200, mainUpdate);
        var afterMain = await Api.ReadAsync(path);
        Assert.Equal(4, afterMain["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(1, afterMain["status"]!["readyReplicas"]!.GetValue<int>());
        Assert.Equal(2, afterMain["status"]!["replicas"]!.GetValue<int>());

        // A status set on create is dropped too.
        var withStatus = Objects.Deployment("born-with-status");
        withStatus["status"] = new JsonObject { ["replicas"] = 7 };
        var born = await Api.CreateAsync($"/apis/apps/v1/namespaces/{ns}/deployments", withStatus);
        Assert.Null(born["status"]?["replicas"]);

        // GET …/status answers the whole object.
        var status = await Api.ReadAsync($"{path}/status");
        Assert.Equal("Deployment", (string?)status["kind"]);
        Assert.Equal(1, status["status"]!["readyReplicas"]!.GetValue<int>());
    }

    [Fact]
    public async Task Status_patch_changes_only_status()
    {
        var ns = await fixture.NewNamespaceAsync();
        var path = $"/apis/apps/v1/namespaces/{ns}/deployments/web";
        await Api.CreateAsync($"/apis/apps/v1/namespaces/{ns}/deployments", Objects.Deployment("web"));
        var patched = await Api.PatchAsync($"{path}/status", """{"spec":{"replicas":8},"status":{"replicas":1,"availableReplicas":1}}""");
        ApiAssert.Code(200, patched);
        var now = await Api.ReadAsync(path);
        Assert.Equal(1, now["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(1, now["status"]!["availableReplicas"]!.GetValue<int>());
    }

    [Fact]
    public async Task Status_patch_with_another_uid_is_a_conflict_and_changes_nothing()
    {
        // The kubelet's status patches carry metadata.uid: a pod recreated under the same name must not take the old one's status.
        var ns = await fixture.NewNamespaceAsync();
        var path = $"/apis/apps/v1/namespaces/{ns}/deployments/web";
        var created = await Api.CreateAsync($"/apis/apps/v1/namespaces/{ns}/deployments", Objects.Deployment("web"));
        var uid = created["metadata"]!["uid"]!.GetValue<string>();
        var stale = await Api.PatchAsync($"{path}/status", """{"metadata":{"uid":"00000000-0000-0000-0000-000000000001"},"status":{"replicas":5}}""");
        ApiAssert.Code(409, stale);
        Assert.Contains($"Precondition failed: UID in precondition: 00000000-0000-0000-0000-000000000001, UID in object meta: {uid}", stale.Text);
        Assert.Null((await Api.ReadAsync(path))["status"]?["replicas"]);

        var same = await Api.PatchAsync($"{path}/status", $$$"""{"metadata":{"uid":"{{{uid}}}"},"status":{"replicas":5}}""");
        ApiAssert.Code(200, same);
        Assert.Equal(5, (await Api.ReadAsync(path))["status"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public async Task Scale_subresource_get_put_and_merge_patch()
    {
        var ns = await fixture.NewNamespaceAsync();
        var path = $"/apis/apps/v1/namespaces/{ns}/deployments/web";
        var created = await Api.CreateAsync($"/apis/apps/v1/namespaces/{ns}/deployments", Objects.Deployment("web", replicas: 2));

        var scale = await Api.ReadAsync($"{path}/scale");
        Assert.Equal("Scale", (string?)scale["kind"]);
        Assert.Equal("autoscaling/v1", (string?)scale["apiVersion"]);
        Assert.Equal("web", (string?)scale["metadata"]!["name"]);
        Assert.Equal(ns, (string?)scale["metadata"]!["namespace"]);
        Assert.Equal((string?)created["metadata"]!["uid"], (string?)scale["metadata"]!["uid"]);
        Assert.Equal(ApiAssert.Rv(created), ApiAssert.Rv(scale));
        Assert.Equal(2, scale["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("app=web", (string?)scale["status"]!["selector"]);

        // PUT a Scale carrying the current resourceVersion (kubectl scale --current-replicas).
        var put = scale.DeepClone().AsObject();
        put["spec"]!["replicas"] = 3;
        var afterPut = await Api.PutAsync($"{path}/scale", put);
        ApiAssert.Code(200, afterPut);
        Assert.Equal(3, afterPut.Object["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("Scale", (string?)afterPut.Object["kind"]);
        Assert.Equal(3, (await Api.ReadAsync(path))["spec"]!["replicas"]!.GetValue<int>());

        // The same stale Scale again: 409.
        ApiAssert.Failure(await Api.PutAsync($"{path}/scale", put), 409, "Conflict",
            "Operation cannot be fulfilled on deployments.apps \"web\": the object has been modified; please apply your changes to the latest version and try again");

        // kubectl scale --replicas=5: a merge patch of the Scale.
        var patched = await Api.PatchAsync($"{path}/scale", """{"spec":{"replicas":5}}""");
        ApiAssert.Code(200, patched);
        Assert.Equal("Scale", (string?)patched.Object["kind"]);
        Assert.Equal("autoscaling/v1", (string?)patched.Object["apiVersion"]);
        Assert.Equal(5, patched.Object["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("app=web", (string?)patched.Object["status"]!["selector"]);
        var deployment = await Api.ReadAsync(path);
        Assert.Equal(5, deployment["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(3, Generation(deployment));
    }

    [Fact]
    public async Task Scale_of_missing_deployment_is_404()
    {
        var ns = await fixture.NewNamespaceAsync();
        ApiAssert.Failure(await Api.GetAsync($"/apis/apps/v1/namespaces/{ns}/deployments/nope/scale"), 404, "NotFound",
            "deployments.apps \"nope\" not found");
    }
}
