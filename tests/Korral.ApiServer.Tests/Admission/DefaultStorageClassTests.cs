using System.Text.Json.Nodes;
using Korral.ApiServer.Tests.Fixtures;

namespace Korral.ApiServer.Tests.Admission;

/// <summary>The bootstrap <c>local-path</c> class and the DefaultStorageClass admission step on claim create.</summary>
public sealed class DefaultStorageClassTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private ApiClient Api => fixture.Api;

    private static JsonObject Claim(string name, JsonObject? spec = null, JsonObject? annotations = null)
    {
        spec ??= [];
        spec["accessModes"] = new JsonArray("ReadWriteOnce");
        spec["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = "1Gi" } };
        var meta = new JsonObject { ["name"] = name };
        if (annotations is not null)
        {
            meta["annotations"] = annotations;
        }

        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "PersistentVolumeClaim", ["metadata"] = meta, ["spec"] = spec };
    }

    [Fact]
    public async Task The_cluster_starts_with_k3s_local_path_class_as_default()
    {
        var sc = await Api.ReadAsync("/apis/storage.k8s.io/v1/storageclasses/local-path");
        Assert.Equal("true", (string?)sc["metadata"]!["annotations"]!["storageclass.kubernetes.io/is-default-class"]);
        Assert.Equal("rancher.io/local-path", (string?)sc["provisioner"]);
        Assert.Equal("WaitForFirstConsumer", (string?)sc["volumeBindingMode"]);
        Assert.Equal("Delete", (string?)sc["reclaimPolicy"]);
    }

    [Theory]
    [InlineData("no-class", null, "local-path")]
    [InlineData("empty-class", "", "")]
    [InlineData("named-class", "fast", "fast")]
    public async Task A_claim_without_storageClassName_gets_the_default(string name, string? storageClassName, string expected)
    {
        var ns = await fixture.NewNamespaceAsync();
        var spec = new JsonObject();
        if (storageClassName is not null)
        {
            spec["storageClassName"] = storageClassName;
        }

        var created = await Api.CreateAsync($"/api/v1/namespaces/{ns}/persistentvolumeclaims", Claim(name, spec));
        Assert.Equal(expected, (string?)created["spec"]!["storageClassName"]);
        Assert.Equal("Pending", (string?)created["status"]?["phase"]);
    }

    [Fact]
    public async Task A_claim_naming_its_class_by_the_beta_annotation_is_left_alone()
    {
        var ns = await fixture.NewNamespaceAsync();
        var created = await Api.CreateAsync($"/api/v1/namespaces/{ns}/persistentvolumeclaims",
            Claim("beta", annotations: new JsonObject { ["volume.beta.kubernetes.io/storage-class"] = "slow" }));
        Assert.Null(created["spec"]!["storageClassName"]);
    }
}
