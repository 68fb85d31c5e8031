using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Korral.ApiServer.Tests.Fixtures;

namespace Korral.ApiServer.Tests.BadInput;

/// <summary>
/// Bad requests: each gets the right status and a Status body, the server keeps serving, and nothing is written (the
/// store's revision does not move: tests of one class run one at a time on their own server).
/// </summary>
public sealed class BadInputTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private const string Prefix = "the object provided is unrecognized (must be of type ConfigMap): ";

    private ApiClient Api => fixture.Api;

    /// <summary>A namespace with one ConfigMap "keep", and the store revision after it was written.</summary>
    private async Task<(string Ns, string Collection, long Revision)> SeedAsync()
    {
        var ns = await fixture.NewNamespaceAsync();
        var collection = $"/api/v1/namespaces/{ns}/configmaps";
        await Api.CreateAsync(collection, Objects.ConfigMap("keep"));
        return (ns, collection, await fixture.Server.Store.GetCurrentRevisionAsync(CancellationToken.None));
    }

    /// <summary>Nothing was written since <paramref name="revision"/>, "keep" is as it was, and the server still answers.</summary>
    private async Task AssertIntactAsync(string collection, long revision)
    {
        Assert.Equal(revision, await fixture.Server.Store.GetCurrentRevisionAsync(CancellationToken.None));
        var list = await Api.ReadAsync(collection);
        Assert.Equal(["keep"], ApiAssert.Names(list));
        var health = await Api.GetAsync("/healthz");
        ApiAssert.Code(200, health);
    }

    private Task<ApiResponse> PostRawAsync(string path, string body, string contentType = "application/json") =>
        Api.SendAsync(HttpMethod.Post, path, Encoding.UTF8.GetBytes(body), contentType);

    [Fact]
    public async Task Malformed_json_is_400()
    {
        var (_, collection, revision) = await SeedAsync();
        var response = await PostRawAsync(collection, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x""");
        ApiAssert.FailureStartingWith(response, 400, "BadRequest", Prefix);
        await AssertIntactAsync(collection, revision);
    }

    [Fact]
    public async Task Malformed_yaml_is_400()
    {
        var (_, collection, revision) = await SeedAsync();
        var response = await PostRawAsync(collection, "apiVersion: v1\nkind: ConfigMap\nmetadata: [name: x\n  data: {\n", "application/yaml");
        ApiAssert.FailureStartingWith(response, 400, "BadRequest", Prefix);
        await AssertIntactAsync(collection, revision);
    }

    [Fact]
    public async Task Json_array_instead_of_object_is_400()
    {
        var (_, collection, revision) = await SeedAsync();
        var response = await PostRawAsync(collection, """[{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}]""");
        ApiAssert.FailureStartingWith(response, 400, "BadRequest", Prefix);
        await AssertIntactAsync(collection, revision);
    }

    [Fact]
    public async Task Json_scalar_and_empty_body_are_400()
    {
        var (_, collection, revision) = await SeedAsync();
        ApiAssert.Failure(await PostRawAsync(collection, "42"), 400, "BadRequest");
        ApiAssert.Failure(await PostRawAsync(collection, ""), 400, "BadRequest");
        await AssertIntactAsync(collection, revision);
    }

    [Fact]
    public async Task Wrong_apiVersion_in_body_is_400()
    {
        var (_, collection, revision) = await SeedAsync();
        var body = Objects.ConfigMap("x");
        body["apiVersion"] = "apps/v1";
        ApiAssert.Failure(await Api.PostAsync(collection, body), 400, "BadRequest",
            "the API version in the data (apps/v1) does not match the expected API version (v1)");
        await AssertIntactAsync(collection, revision);
    }

    [Fact]
    public async Task Wrong_kind_in_body_is_400()
    {
        var (_, collection, revision) = await SeedAsync();
        var body = Objects.Secret("x");
        var response = await Api.PostAsync(collection, body);
        var status = ApiAssert.Failure(response, 400, "BadRequest");
        Assert.Contains("Secret in version \"v1\" cannot be handled as a ConfigMap", (string?)status["message"]);
        await AssertIntactAsync(collection, revision);
    }

    [Theory]
    [InlineData("/api/v1/namespaces/{ns}/foos")]
    [InlineData("/api/v1/foos")]
    [InlineData("/api/v1/namespaces/{ns}/configmaps/keep/nosuchsub")]
    public async Task Unknown_resource_path_is_404(string path)
    {
        var (ns, collection, revision) = await SeedAsync();
        ApiAssert.Failure(await Api.GetAsync(path.Replace("{ns}", ns)), 404, "NotFound", "the server could not find the requested resource");
        ApiAssert.Failure(await Api.PostAsync(path.Replace("{ns}", ns), Objects.ConfigMap("x")), 404, "NotFound");
        await AssertIntactAsync(collection, revision);
    }

    [Theory]
    [InlineData("/apis/nope.example.com/v1/namespaces/{ns}/things")]
    [InlineData("/apis/apps/v9/namespaces/{ns}/deployments")]
    [InlineData("/api/v2/namespaces/{ns}/configmaps")]
    public async Task Unknown_group_version_is_404(string path)
    {
        var (ns, collection, revision) = await SeedAsync();
        ApiAssert.Failure(await Api.GetAsync(path.Replace("{ns}", ns)), 404, "NotFound");
        ApiAssert.Failure(await Api.PostAsync(path.Replace("{ns}", ns), Objects.ConfigMap("x")), 404, "NotFound");
        await AssertIntactAsync(collection, revision);
    }

    [Fact]
    public async Task Invalid_name_is_422_with_a_metadata_name_cause()
    {
        var (_, collection, revision) = await SeedAsync();
        var response = await Api.PostAsync(collection, Objects.ConfigMap("Bad_Name"));
        var status = ApiAssert.FailureStartingWith(response, 422, "Invalid",
            "ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of");
        Assert.Equal("ConfigMap", (string?)status["details"]!["kind"]);
        Assert.Equal("Bad_Name", (string?)status["details"]!["name"]);
        var cause = status["details"]!["causes"]!.AsArray().First()!;
        Assert.Equal("FieldValueInvalid", (string?)cause["reason"]);
        Assert.Equal("metadata.name", (string?)cause["field"]);
        ApiAssert.Code(404, await Api.GetAsync($"{collection}/Bad_Name"));
        await AssertIntactAsync(collection, revision);
    }

    [Fact]
    public async Task Object_without_a_name_is_422()
    {
        var (_, collection, revision) = await SeedAsync();
        var body = Objects.ConfigMap("x");
        body["metadata"] = new JsonObject();
        var status = ApiAssert.Failure(await Api.PostAsync(collection, body), 422, "Invalid",
            "ConfigMap \"\" is invalid: metadata.name: Required value: name or generateName is required");
        Assert.Equal("metadata.name", (string?)status["details"]!["causes"]![0]!["field"]);
        Assert.Equal("FieldValueRequired", (string?)status["details"]!["causes"]![0]!["reason"]);
        await AssertIntactAsync(collection, revision);
    }

    [Fact]
    public async Task Pod_without_containers_is_422()
    {
        var (ns, collection, revision) = await SeedAsync();
        var pod = Objects.Pod("p");
        pod["spec"] = new JsonObject();
        var response = await Api.PostAsync($"/api/v1/namespaces/{ns}/pods", pod);
        var status = ApiAssert.FailureStartingWith(response, 422, "Invalid", "Pod \"p\" is invalid: ");
        Assert.Contains("spec.containers: Required value", (string?)status["message"]);
        Assert.Contains(status["details"]!["causes"]!.AsArray(),
            c => (string?)c!["field"] == "spec.containers" && (string?)c["reason"] == "FieldValueRequired");
        ApiAssert.Code(404, await Api.GetAsync($"/api/v1/namespaces/{ns}/pods/p"));
        await AssertIntactAsync(collection, revision);
    }

    [Fact]
    public async Task Body_over_3_MiB_is_413()
    {
        var (_, collection, revision) = await SeedAsync();
        var big = Objects.ConfigMap("huge", new JsonObject { ["blob"] = new string('x', (3 * 1024 * 1024) + 100) });
        var response = await Api.SendAsync(HttpMethod.Post, collection, Encoding.UTF8.GetBytes(big.ToJsonString()), "application/json",
            expectContinue: true);
        ApiAssert.Failure(response, 413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728");
        ApiAssert.Code(404, await Api.GetAsync($"{collection}/huge"));
        await AssertIntactAsync(collection, revision);
    }

    [Fact]
    public async Task Object_over_1_5_MiB_is_refused_and_not_stored()
    {
        // Upstream the limit is etcd's request size (1.5 MiB by default); the body itself is under the 3 MiB limit.
        // A ConfigMap that large fails its own 1 MiB data rule first (422), so the object here is a Deployment whose
        // container carries a 2 MiB environment value, which no validation rule limits.
        var (ns, collection, revision) = await SeedAsync();
        var deployments = $"/apis/apps/v1/namespaces/{ns}/deployments";
        var big = Objects.Deployment("large");
        big["spec"]!["template"]!["spec"]!["containers"]![0]!["env"] =
            new JsonArray(new JsonObject { ["name"] = "BLOB", ["value"] = new string('x', 2 * 1024 * 1024) });
        var response = await Api.PostAsync(deployments, big);
        ApiAssert.Failure(response, 413, "RequestEntityTooLarge");
        ApiAssert.Code(404, await Api.GetAsync($"{deployments}/large"));

        // An update that grows an object past the limit is refused the same way.
        ApiAssert.Code(201, await Api.PostAsync(deployments, Objects.Deployment("small")));
        revision = await fixture.Server.Store.GetCurrentRevisionAsync(CancellationToken.None);
        var small = await Api.ReadAsync($"{deployments}/small");
        small["spec"]!["template"]!["spec"]!["containers"]![0]!["env"] =
            new JsonArray(new JsonObject { ["name"] = "BLOB", ["value"] = new string('y', 2 * 1024 * 1024) });
        ApiAssert.Failure(await Api.PutAsync($"{deployments}/small", small), 413, "RequestEntityTooLarge");
        Assert.Null((await Api.ReadAsync($"{deployments}/small"))["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]);
        await AssertIntactAsync(collection, revision);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task Unsupported_content_type_is_415(string contentType)
    {
        var (_, collection, revision) = await SeedAsync();
        var response = await PostRawAsync(collection, Objects.ConfigMap("x").ToJsonString(), contentType);
        ApiAssert.FailureStartingWith(response, 415, "UnsupportedMediaType",
            "the body of the request was in an unknown format - accepted media types include: ");
        await AssertIntactAsync(collection, revision);
    }

    [Fact]
    public async Task Unsupported_patch_type_is_415()
    {
        var (_, collection, revision) = await SeedAsync();
        var response = await Api.PatchAsync($"{collection}/keep", """{"data":{"k":"x"}}""", "application/json");
        ApiAssert.FailureStartingWith(response, 415, "UnsupportedMediaType",
            "the body of the request was in an unknown format - accepted media types include: ");
        await AssertIntactAsync(collection, revision);
    }

    [Fact]
    public async Task Stale_resourceVersion_is_409()
    {
        var (_, collection, revision) = await SeedAsync();
        var keep = await Api.ReadAsync($"{collection}/keep");
        keep["metadata"]!["resourceVersion"] = (ApiAssert.Rv(keep) - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        keep["data"] = new JsonObject { ["k"] = "stale" };
        ApiAssert.Failure(await Api.PutAsync($"{collection}/keep", keep), 409, "Conflict",
            "Operation cannot be fulfilled on configmaps \"keep\": the object has been modified; please apply your changes to the latest version and try again");
        await AssertIntactAsync(collection, revision);
    }

    [Fact]
    public async Task Update_of_a_missing_object_with_a_resourceVersion_is_404()
    {
        var (_, collection, revision) = await SeedAsync();
        var ghost = Objects.ConfigMap("ghost");
        ghost["metadata"]!["resourceVersion"] = "5";
        ApiAssert.Failure(await Api.PutAsync($"{collection}/ghost", ghost), 404, "NotFound", "configmaps \"ghost\" not found");
        await AssertIntactAsync(collection, revision);
    }

    [Fact]
    public async Task Name_in_body_differing_from_url_on_put_is_400()
    {
        var (_, collection, revision) = await SeedAsync();
        var body = await Api.ReadAsync($"{collection}/keep");
        body["metadata"]!["name"] = "other";
        ApiAssert.Failure(await Api.PutAsync($"{collection}/keep", body), 400, "BadRequest",
            "the name of the object (other) does not match the name on the URL (keep)");
        await AssertIntactAsync(collection, revision);
    }

    [Fact]
    public async Task Namespace_in_body_differing_from_url_is_400()
    {
        var (ns, collection, revision) = await SeedAsync();
        var body = Objects.ConfigMap("x");
        body["metadata"]!["namespace"] = "somewhere-else";
        ApiAssert.Failure(await Api.PostAsync(collection, body), 400, "BadRequest",
            "the namespace of the provided object does not match the namespace sent on the request");

        var keep = await Api.ReadAsync($"{collection}/keep");
        keep["metadata"]!["namespace"] = "default";
        ApiAssert.Failure(await Api.PutAsync($"{collection}/keep", keep), 400, "BadRequest",
            "the namespace of the provided object does not match the namespace sent on the request");
        Assert.Equal(ns, (string?)(await Api.ReadAsync($"{collection}/keep"))["metadata"]!["namespace"]);
        await AssertIntactAsync(collection, revision);
    }

    [Fact]
    public async Task Unauthenticated_requests_get_401_except_health_and_version()
    {
        var (_, collection, revision) = await SeedAsync();
        var anonymous = new ApiClient(fixture.Server.NewHttpClient(null, HttpVersion.Version11));

        ApiAssert.Failure(await anonymous.GetAsync("/api"), 401, "Unauthorized", "Unauthorized");
        ApiAssert.Failure(await anonymous.GetAsync(collection), 401, "Unauthorized", "Unauthorized");
        ApiAssert.Failure(await anonymous.PostAsync(collection, Objects.ConfigMap("anon")), 401, "Unauthorized");

        var healthz = await anonymous.GetAsync("/healthz");
        ApiAssert.Code(200, healthz);
        Assert.Equal("ok", healthz.Text);
        ApiAssert.Code(200, await anonymous.GetAsync("/livez"));
        ApiAssert.Code(200, await anonymous.GetAsync("/readyz"));
        var version = await anonymous.GetAsync("/version");
        ApiAssert.Code(200, version);
        Assert.StartsWith("v1.", (string?)version.Object["gitVersion"]);
        await AssertIntactAsync(collection, revision);
    }

    [Fact]
    public async Task Client_certificate_from_another_ca_is_401()
    {
        var (_, collection, revision) = await SeedAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=admin, O=system:masters", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var selfSigned = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var stranger = new ApiClient(fixture.Server.NewHttpClient(selfSigned, HttpVersion.Version11));
        ApiAssert.Failure(await stranger.GetAsync(collection), 401, "Unauthorized");
        await AssertIntactAsync(collection, revision);
    }

    [Theory]
    [InlineData("limit=abc")]
    [InlineData("limit=1.5")]
    [InlineData("resourceVersion=abc")]
    [InlineData("resourceVersion=abc&resourceVersionMatch=Exact")]
    [InlineData("timeoutSeconds=soon&watch=true")]
    public async Task Bad_list_parameters_are_400(string query)
    {
        var (_, collection, revision) = await SeedAsync();
        ApiAssert.Failure(await Api.GetAsync($"{collection}?{query}"), 400, "BadRequest");
        await AssertIntactAsync(collection, revision);
    }

    [Fact]
    public async Task Bad_dryRun_value_is_refused_as_invalid_CreateOptions()
    {
        // Upstream validates the query into CreateOptions and answers errors.NewInvalid(meta.k8s.io CreateOptions):
        // 422, message `CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: …: supported values: "All"`
        // (apiserver endpoints/handlers/create.go, apimachinery meta/v1/validation ValidateDryRun).
        var (_, collection, revision) = await SeedAsync();
        var response = await Api.PostAsync($"{collection}?dryRun=Maybe", Objects.ConfigMap("x"));
        var status = ApiAssert.FailureStartingWith(response, 422, "Invalid", "CreateOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: ");
        Assert.EndsWith("supported values: \"All\"", (string?)status["message"]);
        Assert.Equal("meta.k8s.io", (string?)status["details"]!["group"]);
        Assert.Equal("CreateOptions", (string?)status["details"]!["kind"]);
        Assert.Equal("dryRun", (string?)status["details"]!["causes"]![0]!["field"]);
        Assert.Equal("FieldValueNotSupported", (string?)status["details"]!["causes"]![0]!["reason"]);
        ApiAssert.Code(404, await Api.GetAsync($"{collection}/x"));
        await AssertIntactAsync(collection, revision);
    }

    [Fact]
    public async Task Bad_dryRun_value_on_update_and_delete_is_refused()
    {
        var (_, collection, revision) = await SeedAsync();
        var keep = await Api.ReadAsync($"{collection}/keep");
        keep["data"] = new JsonObject { ["k"] = "x" };
        ApiAssert.Failure(await Api.PutAsync($"{collection}/keep?dryRun=Maybe", keep), 422, "Invalid");
        ApiAssert.Failure(await Api.DeleteAsync($"{collection}/keep?dryRun=Maybe"), 422, "Invalid");
        await AssertIntactAsync(collection, revision);
    }

    [Fact]
    public async Task DryRun_All_stores_nothing()
    {
        var (_, collection, revision) = await SeedAsync();

        // Create: the answer is what would be stored, but nothing is.
        var created = await Api.PostAsync($"{collection}?dryRun=All", Objects.ConfigMap("dry"));
        ApiAssert.Code(201, created);
        Assert.Equal("dry", (string?)created.Object["metadata"]!["name"]);
        Assert.NotNull((string?)created.Object["metadata"]!["uid"]);
        ApiAssert.Code(404, await Api.GetAsync($"{collection}/dry"));

        // A dry-run create of an existing name still conflicts.
        ApiAssert.Failure(await Api.PostAsync($"{collection}?dryRun=All", Objects.ConfigMap("keep")), 409, "AlreadyExists",
            "configmaps \"keep\" already exists");

        // Update.
        var keep = await Api.ReadAsync($"{collection}/keep");
        var changed = keep.DeepClone().AsObject();
        changed["data"] = new JsonObject { ["k"] = "dry" };
        var updated = await Api.PutAsync($"{collection}/keep?dryRun=All", changed);
        ApiAssert.Code(200, updated);
        Assert.Equal("dry", (string?)updated.Object["data"]!["k"]);
        Assert.Equal("v", (string?)(await Api.ReadAsync($"{collection}/keep"))["data"]!["k"]);

        // Patch.
        ApiAssert.Code(200, await Api.PatchAsync($"{collection}/keep?dryRun=All", """{"data":{"k":"patched"}}"""));

        // Delete, by query and by DeleteOptions body.
        ApiAssert.Code(200, await Api.DeleteAsync($"{collection}/keep?dryRun=All"));
        ApiAssert.Code(200, await Api.DeleteAsync($"{collection}/keep", new JsonObject { ["dryRun"] = new JsonArray("All") }));
        Assert.Equal(ApiAssert.Rv(keep), ApiAssert.Rv(await Api.ReadAsync($"{collection}/keep")));
        await AssertIntactAsync(collection, revision);
    }

    [Fact]
    public async Task DryRun_service_create_does_not_keep_its_cluster_ip()
    {
        var ns = await fixture.NewNamespaceAsync();
        var services = $"/api/v1/namespaces/{ns}/services";
        var dry = await Api.PostAsync($"{services}?dryRun=All", Objects.Service("dry"));
        ApiAssert.Code(201, dry);
        var ip = (string?)dry.Object["spec"]!["clusterIP"];
        Assert.False(string.IsNullOrEmpty(ip));

        // The address was not kept: a real service may take it.
        var real = Objects.Service("real");
        real["spec"]!["clusterIP"] = ip;
        var created = await Api.PostAsync(services, real);
        ApiAssert.Code(201, created);
        Assert.Equal(ip, (string?)created.Object["spec"]!["clusterIP"]);
    }

    [Fact]
    public async Task Delete_with_a_malformed_body_is_400()
    {
        var (_, collection, revision) = await SeedAsync();
        var response = await Api.SendAsync(HttpMethod.Delete, $"{collection}/keep", Encoding.UTF8.GetBytes("{not json"), "application/json");
        ApiAssert.Failure(response, 400, "BadRequest");
        var wrongPolicy = await Api.DeleteAsync($"{collection}/keep", new JsonObject { ["propagationPolicy"] = "Sometimes" });
        Assert.InRange(wrongPolicy.Code, 400, 422);
        await AssertIntactAsync(collection, revision);
    }

    [Fact]
    public async Task Many_bad_requests_in_a_row_leave_the_server_serving()
    {
        var bodies = new[] { "{", "[]", "null", "\"x\"", "{\"metadata\":5}", "{\"apiVersion\":7}", "\u0000\u0001", "{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":[]}}" };

        // Each body goes to a namespace of its own, so that one wrongly stored object cannot mask the next answer.
        var namespaces = new List<string>();
        foreach (var _ in bodies)
        {
            namespaces.Add(await fixture.NewNamespaceAsync());
        }

        var (_, collection, revision) = await SeedAsync();
        var wrong = new List<string>();
        for (var i = 0; i < bodies.Length; i++)
        {
            var response = await PostRawAsync($"/api/v1/namespaces/{namespaces[i]}/configmaps", bodies[i]);
            if (response.Code is < 400 or >= 500 || !response.ContentType.StartsWith("application/json", StringComparison.Ordinal) ||
                (string?)response.Object["kind"] != "Status")
            {
                wrong.Add($"body {bodies[i]} → {response}");
            }
        }

        Assert.True(wrong.Count == 0, "expected a 4xx Status for every body:\n" + string.Join("\n", wrong));
        await AssertIntactAsync(collection, revision);
    }
}
