using System.Security.Cryptography;
using System.Text.Json;
using Korral.Api.Resources;
using Korral.Api.Schema;
using Korral.ApiServer.OpenApi;

namespace Korral.ApiServer.Tests.OpenApi;

/// <summary>The /openapi/v3 documents of the built-in resources, from the generated schema catalog.</summary>
public sealed class OpenApiV3DocumentsTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static readonly OpenApiV3Documents Documents = new(
        BuiltinResources.Instance,
        GeneratedSchemaCatalog.Instance,
        new OpenApiV3Options { Time = new FixedTimeProvider(Now) });

    private const string DeploymentItem = "/apis/apps/v1/namespaces/{namespace}/deployments/{name}";

    private static JsonElement Document(string path) => JsonDocument.Parse(Documents.Find(path)!.Body).RootElement;

    private static JsonElement Schema(JsonElement document, string name) =>
        document.GetProperty("components").GetProperty("schemas").GetProperty(name);

    private static IEnumerable<string> Names(JsonElement array, string property = "name") =>
        array.EnumerateArray().Select(e => e.GetProperty(property).GetString()!);

    [Fact]
    public void Index_links_every_served_group_version_by_content_hash()
    {
        var response = Documents.Index;
        var paths = JsonDocument.Parse(response.Body).RootElement.GetProperty("paths");

        Assert.Equal("application/json", response.ContentType);
        var expected = BuiltinResources.Instance.Groups
            .SelectMany(g => g.Versions.Select(v => g.IsCore ? $"api/{v}" : $"apis/{g.Name}/{v}"))
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, paths.EnumerateObject().Select(p => p.Name));
        Assert.Contains("apis/autoscaling/v1", Documents.Paths);
        Assert.Contains("apis/autoscaling/v2", Documents.Paths);
        Assert.Equal("api/v1", Documents.Paths[0]);

        foreach (var entry in paths.EnumerateObject())
        {
            var document = Documents.Find(entry.Name)!;
            Assert.Equal(Convert.ToHexString(SHA512.HashData(document.Body)), document.Hash);
            Assert.Equal($"/openapi/v3/{entry.Name}?hash={document.Hash}", entry.Value.GetProperty("serverRelativeURL").GetString());
        }
    }

    [Fact]
    public void Documents_and_hashes_are_stable_across_instances()
    {
        var again = new OpenApiV3Documents(BuiltinResources.Instance, GeneratedSchemaCatalog.Instance);

        Assert.Equal(Documents.Index.Body, again.Index.Body);
        Assert.Equal(Documents.Find("apps", "v1")!.Hash, again.Find("apps", "v1")!.Hash);
        Assert.Same(Documents.Find("api/v1"), Documents.Find("", "v1"));
    }

    [Fact]
    public void Deployment_patch_carries_its_kind_and_the_field_validation_parameter()
    {
        var document = Document("apis/apps/v1");
        Assert.Equal("3.0.0", document.GetProperty("openapi").GetString());

        var patch = document.GetProperty("paths").GetProperty(DeploymentItem).GetProperty("patch");
        Assert.Equal("patch", patch.GetProperty("x-kubernetes-action").GetString());
        Assert.Equal(
            """{"group":"apps","kind":"Deployment","version":"v1"}""",
            patch.GetProperty("x-kubernetes-group-version-kind").GetRawText());
        Assert.Equal(["dryRun", "fieldManager", "fieldValidation", "force"], Names(patch.GetProperty("parameters")));
        Assert.Equal(
            [
                "application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json",
                "application/strategic-merge-patch+json",
            ],
            patch.GetProperty("requestBody").GetProperty("content").EnumerateObject().Select(c => c.Name));
        Assert.Equal(
            "#/components/schemas/io.k8s.api.apps.v1.Deployment",
            patch.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json")
                .GetProperty("schema").GetProperty("$ref").GetString());
    }

    [Fact]
    public void Every_patch_operation_offers_field_validation_and_strategic_merge()
    {
        // kubectl checks whichever patch operation of a kind it finds first, so all of them must agree.
        foreach (var path in Documents.Paths)
        {
            foreach (var pathItem in Document(path).GetProperty("paths").EnumerateObject())
            {
                if (pathItem.Value.TryGetProperty("patch", out var patch)
                    && patch.GetProperty("x-kubernetes-action").GetString() == "patch")
                {
                    Assert.Contains("fieldValidation", Names(patch.GetProperty("parameters")));
                    Assert.True(patch.GetProperty("requestBody").GetProperty("content")
                        .TryGetProperty("application/strategic-merge-patch+json", out _), pathItem.Name);
                }
            }
        }
    }

    [Fact]
    public void Deployment_paths_cover_collection_item_status_and_scale()
    {
        var paths = Document("apis/apps/v1").GetProperty("paths");

        var collection = paths.GetProperty("/apis/apps/v1/namespaces/{namespace}/deployments");
        Assert.Equal("list", collection.GetProperty("get").GetProperty("x-kubernetes-action").GetString());
        Assert.Equal("post", collection.GetProperty("post").GetProperty("x-kubernetes-action").GetString());
        Assert.Equal("deletecollection", collection.GetProperty("delete").GetProperty("x-kubernetes-action").GetString());
        Assert.Contains("fieldValidation", Names(collection.GetProperty("post").GetProperty("parameters")));
        Assert.Contains("labelSelector", Names(collection.GetProperty("get").GetProperty("parameters")));
        Assert.Equal(["namespace", "pretty"], Names(collection.GetProperty("parameters")));

        var item = paths.GetProperty(DeploymentItem);
        Assert.Equal(["delete", "get", "parameters", "patch", "put"], item.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Contains("fieldValidation", Names(item.GetProperty("put").GetProperty("parameters")));

        var all = paths.GetProperty("/apis/apps/v1/deployments").GetProperty("get");
        Assert.Equal("listAppsV1DeploymentForAllNamespaces", all.GetProperty("operationId").GetString());

        var status = paths.GetProperty(DeploymentItem + "/status").GetProperty("patch");
        Assert.Equal("Deployment", status.GetProperty("x-kubernetes-group-version-kind").GetProperty("kind").GetString());

        var scale = paths.GetProperty(DeploymentItem + "/scale").GetProperty("put");
        Assert.Equal("""{"group":"autoscaling","kind":"Scale","version":"v1"}""", scale.GetProperty("x-kubernetes-group-version-kind").GetRawText());
        Assert.Equal("replaceAppsV1NamespacedDeploymentScale", scale.GetProperty("operationId").GetString());
    }

    [Fact]
    public void Deployment_schema_has_the_patch_metadata_kubectl_needs()
    {
        var document = Document("apis/apps/v1");

        var deployment = Schema(document, "io.k8s.api.apps.v1.Deployment");
        Assert.Equal("object", deployment.GetProperty("type").GetString());
        Assert.Equal(
            """[{"group":"apps","kind":"Deployment","version":"v1"}]""",
            deployment.GetProperty("x-kubernetes-group-version-kind").GetRawText());
        Assert.Equal(
            "#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec",
            deployment.GetProperty("properties").GetProperty("spec").GetProperty("allOf")[0].GetProperty("$ref").GetString());

        var strategy = Schema(document, "io.k8s.api.apps.v1.DeploymentSpec").GetProperty("properties").GetProperty("strategy");
        Assert.Equal("retainKeys", strategy.GetProperty("x-kubernetes-patch-strategy").GetString());
        Assert.Equal("#/components/schemas/io.k8s.api.apps.v1.DeploymentStrategy", strategy.GetProperty("allOf")[0].GetProperty("$ref").GetString());
        Assert.Contains("selector", Schema(document, "io.k8s.api.apps.v1.DeploymentSpec").GetProperty("required").EnumerateArray().Select(e => e.GetString()));

        var containers = Schema(document, "io.k8s.api.core.v1.PodSpec").GetProperty("properties").GetProperty("containers");
        Assert.Equal("array", containers.GetProperty("type").GetString());
        Assert.Equal("name", containers.GetProperty("x-kubernetes-patch-merge-key").GetString());
        Assert.Equal("merge", containers.GetProperty("x-kubernetes-patch-strategy").GetString());
        Assert.Equal("#/components/schemas/io.k8s.api.core.v1.Container", containers.GetProperty("items").GetProperty("allOf")[0].GetProperty("$ref").GetString());

        var ports = Schema(document, "io.k8s.api.core.v1.Container").GetProperty("properties").GetProperty("ports");
        Assert.Equal("map", ports.GetProperty("x-kubernetes-list-type").GetString());
        Assert.Contains("containerPort", ports.GetProperty("x-kubernetes-list-map-keys").EnumerateArray().Select(k => k.GetString()));

        var maxSurge = Schema(document, "io.k8s.api.apps.v1.RollingUpdateDeployment").GetProperty("properties").GetProperty("maxSurge");
        Assert.Equal("#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString", maxSurge.GetProperty("allOf")[0].GetProperty("$ref").GetString());

        var labels = Schema(document, "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta").GetProperty("properties").GetProperty("labels");
        Assert.Equal("object", labels.GetProperty("type").GetString());
        Assert.Equal("string", labels.GetProperty("additionalProperties").GetProperty("type").GetString());

        Assert.Equal("atomic", Schema(document, "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector").GetProperty("x-kubernetes-map-type").GetString());
        Assert.False(Schema(document, "io.k8s.api.apps.v1.DeploymentSpec").GetProperty("properties").GetProperty("selector")
            .TryGetProperty("x-kubernetes-map-type", out _));
    }

    [Fact]
    public void Special_value_types_have_upstream_shapes()
    {
        var document = Document("apis/apps/v1");

        Assert.Equal(
            """{"format":"int-or-string","oneOf":[{"type":"integer"},{"type":"string"}]}""",
            Schema(document, "io.k8s.apimachinery.pkg.util.intstr.IntOrString").GetRawText());
        Assert.Equal(
            """{"oneOf":[{"type":"string"},{"type":"number"}]}""",
            Schema(document, "io.k8s.apimachinery.pkg.api.resource.Quantity").GetRawText());
        Assert.Equal(
            """{"format":"date-time","type":"string"}""",
            Schema(document, "io.k8s.apimachinery.pkg.apis.meta.v1.Time").GetRawText());
        Assert.Equal("""{"type":"object"}""", Schema(document, "io.k8s.apimachinery.pkg.apis.meta.v1.Patch").GetRawText());
        Assert.Equal(
            "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time",
            Schema(document, "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta").GetProperty("properties")
                .GetProperty("creationTimestamp").GetProperty("allOf")[0].GetProperty("$ref").GetString());
    }

    [Fact]
    public void Every_reference_resolves_within_its_document_and_no_description_is_written()
    {
        foreach (var path in Documents.Paths)
        {
            var document = Document(path);
            var schemas = document.GetProperty("components").GetProperty("schemas");
            foreach (var reference in References(document))
            {
                Assert.StartsWith("#/components/schemas/", reference);
                Assert.True(schemas.TryGetProperty(reference["#/components/schemas/".Length..], out _), $"{path}: {reference}");
            }

            Assert.DoesNotContain("\"description\":\"\"", System.Text.Encoding.UTF8.GetString(Documents.Find(path)!.Body));
            Assert.False(HasDescription(schemas), path);
        }
    }

    [Fact]
    public void Each_document_describes_the_kinds_of_its_group_version()
    {
        foreach (var resource in BuiltinResources.Instance.All)
        {
            var document = Document(resource.Group.Length == 0 ? "api/v1" : $"apis/{resource.Group}/{resource.Version}");
            var schema = Schema(document, resource.SchemaName);
            Assert.Contains(
                schema.GetProperty("x-kubernetes-group-version-kind").EnumerateArray(),
                k => k.GetProperty("group").GetString() == resource.Group
                     && k.GetProperty("version").GetString() == resource.Version
                     && k.GetProperty("kind").GetString() == resource.Kind);
        }
    }

    [Fact]
    public void Core_document_has_subresource_and_connect_operations()
    {
        var paths = Document("api/v1").GetProperty("paths");
        const string pod = "/api/v1/namespaces/{namespace}/pods/{name}";

        var exec = paths.GetProperty(pod + "/exec");
        Assert.Equal("connect", exec.GetProperty("post").GetProperty("x-kubernetes-action").GetString());
        Assert.Equal("connectCoreV1GetNamespacedPodExec", exec.GetProperty("get").GetProperty("operationId").GetString());
        Assert.Equal("PodExecOptions", exec.GetProperty("get").GetProperty("x-kubernetes-group-version-kind").GetProperty("kind").GetString());
        Assert.Contains("command", Names(exec.GetProperty("get").GetProperty("parameters")));

        Assert.Equal("readCoreV1NamespacedPodLog", paths.GetProperty(pod + "/log").GetProperty("get").GetProperty("operationId").GetString());
        Assert.Equal("Eviction", paths.GetProperty(pod + "/eviction").GetProperty("post").GetProperty("x-kubernetes-group-version-kind").GetProperty("kind").GetString());
        Assert.True(paths.TryGetProperty(pod + "/proxy/{path}", out _));
        Assert.Equal("replaceCoreV1NamespaceFinalize", paths.GetProperty("/api/v1/namespaces/{name}/finalize").GetProperty("put").GetProperty("operationId").GetString());
        Assert.Equal("createCoreV1NamespacedServiceAccountToken",
            paths.GetProperty("/api/v1/namespaces/{namespace}/serviceaccounts/{name}/token").GetProperty("post").GetProperty("operationId").GetString());

        // Namespaces cannot be deleted as a collection; bindings can only be created.
        Assert.False(paths.GetProperty("/api/v1/namespaces").TryGetProperty("delete", out _));
        Assert.Equal(["parameters", "post"], paths.GetProperty("/api/v1/namespaces/{namespace}/bindings").EnumerateObject().Select(p => p.Name));
        Assert.False(paths.TryGetProperty("/api/v1/namespaces/{namespace}/bindings/{name}", out _));
    }

    [Fact]
    public void Create_only_reviews_have_only_a_post_operation()
    {
        var paths = Document("apis/authorization.k8s.io/v1").GetProperty("paths");

        Assert.Equal(
            [
                "/apis/authorization.k8s.io/v1/namespaces/{namespace}/localsubjectaccessreviews",
                "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
                "/apis/authorization.k8s.io/v1/subjectaccessreviews",
            ],
            paths.EnumerateObject().Select(p => p.Name));
        Assert.All(paths.EnumerateObject(), p => Assert.Equal(["parameters", "post"], p.Value.EnumerateObject().Select(o => o.Name)));
    }

    [Fact]
    public void Resolve_serves_json_with_etag_and_caches_hash_addressed_urls()
    {
        var document = Documents.Find("apis/apps/v1")!;

        var plain = Documents.Resolve("/openapi/v3/apis/apps/v1", null, "application/json")!;
        Assert.Equal(200, plain.StatusCode);
        Assert.Equal("application/json", plain.ContentType);
        Assert.Same(document.Body, plain.Body);
        Assert.Equal($"\"{document.Hash}\"", plain.ETag);
        Assert.DoesNotContain(plain.Headers, h => h.Key == "Cache-Control");

        var hashed = Documents.Resolve("/openapi/v3/apis/apps/v1", document.Hash, "application/json")!;
        Assert.Equal(200, hashed.StatusCode);
        Assert.Contains(new KeyValuePair<string, string>("Cache-Control", "public, immutable"), hashed.Headers);
        Assert.Contains(new KeyValuePair<string, string>("Expires", "Sat, 02 Jan 2027 03:04:05 GMT"), hashed.Headers);
        Assert.Contains(new KeyValuePair<string, string>("Vary", "Accept"), hashed.Headers);
        Assert.True(hashed.IsNotModified(hashed.ETag));

        var stale = Documents.Resolve("/openapi/v3/apis/apps/v1", "0123", "application/json")!;
        Assert.Equal(301, stale.StatusCode);
        Assert.Contains(new KeyValuePair<string, string>("Location", document.ServerRelativeUrl), stale.Headers);

        Assert.Equal(200, Documents.Resolve("/openapi/v3/api/v1", null, "*/*")!.StatusCode);
        Assert.Equal(200, Documents.Resolve("/openapi/v3/api/v1", null, null)!.StatusCode);
        Assert.Equal(406, Documents.Resolve("/openapi/v3/api/v1", null, "application/com.github.proto-openapi.spec.v3.v1.0+protobuf")!.StatusCode);
        Assert.Same(Documents.Index, Documents.Resolve("/openapi/v3", null, "application/json, */*"));
        Assert.Same(Documents.Index, Documents.Resolve("/openapi/v3/", null, null));
        Assert.Null(Documents.Resolve("/openapi/v3/apis/apps/v1beta1", null, null));
        Assert.Null(Documents.Resolve("/openapi/v3/apis/apps", null, null));
        Assert.Null(Documents.Resolve("/openapi/v2", null, null));
    }

    private static IEnumerable<string> References(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    // JSONSchemaProps has a property named "$ref" (an object); references are strings.
                    if (property.Name == "$ref" && property.Value.ValueKind == JsonValueKind.String)
                    {
                        yield return property.Value.GetString()!;
                    }
                    else
                    {
                        foreach (var reference in References(property.Value))
                        {
                            yield return reference;
                        }
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    foreach (var reference in References(item))
                    {
                        yield return reference;
                    }
                }

                break;
        }
    }

    // A "description" string anywhere (a property named description, as in JSONSchemaProps, is an object).
    private static bool HasDescription(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject()
            .Any(p => (p.Name == "description" && p.Value.ValueKind == JsonValueKind.String) || HasDescription(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().Any(HasDescription),
        _ => false,
    };
}
