using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Korral.ApiServer.Tests.Fixtures;

namespace Korral.ApiServer.Tests.Content;

/// <summary>YAML and protobuf request bodies, YAML responses, HTTP/1.1 and HTTP/2.</summary>
public sealed class EncodingTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    // kubectl 1.33 `create configmap cfg --from-literal=k=v` (kubectl-compat 4.6).
    private const string ConfigMapProtobufHex =
        "6b387300 0a0f 0a027631 1209 436f6e6669674d6170 121d 0a13 0a03636667 1200 1a00 2200 2a00 3200 3800 4200 1206 0a016b 120176 1a00 2200";

    private ApiClient Api => fixture.Api;

    [Fact]
    public async Task Yaml_request_body_creates_the_object()
    {
        var ns = await fixture.NewNamespaceAsync();
        var yaml = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: from-yaml
              labels:
                app: web
            data:
              greeting: "hello: world"
              number: "42"
            """;
        var response = await Api.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", Encoding.UTF8.GetBytes(yaml), "application/yaml");
        ApiAssert.Code(201, response);
        Assert.StartsWith("application/json", response.ContentType);
        var stored = await Api.ReadAsync($"/api/v1/namespaces/{ns}/configmaps/from-yaml");
        Assert.Equal("hello: world", (string?)stored["data"]!["greeting"]);
        Assert.Equal("42", (string?)stored["data"]!["number"]);
        Assert.Equal("web", (string?)stored["metadata"]!["labels"]!["app"]);
    }

    [Fact]
    public async Task Yaml_update_body_is_accepted()
    {
        var ns = await fixture.NewNamespaceAsync();
        var created = await Api.CreateAsync($"/api/v1/namespaces/{ns}/configmaps", Objects.ConfigMap("y"));
        var yaml = $"""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: y
              resourceVersion: "{ApiAssert.Rv(created)}"
            data:
              k: changed
            """;
        var response = await Api.SendAsync(HttpMethod.Put, $"/api/v1/namespaces/{ns}/configmaps/y", Encoding.UTF8.GetBytes(yaml), "application/yaml");
        ApiAssert.Code(200, response);
        Assert.Equal("changed", (string?)(await Api.ReadAsync($"/api/v1/namespaces/{ns}/configmaps/y"))["data"]!["k"]);
    }

    [Fact]
    public async Task Accept_yaml_answers_yaml()
    {
        var ns = await fixture.NewNamespaceAsync();
        await Api.CreateAsync($"/api/v1/namespaces/{ns}/configmaps", Objects.ConfigMap("y", new JsonObject { ["k"] = "v" }));

        var one = await Api.GetAsync($"/api/v1/namespaces/{ns}/configmaps/y", "application/yaml");
        ApiAssert.Code(200, one);
        Assert.StartsWith("application/yaml", one.ContentType);
        var parsed = YamlReader.Read(one.Text)!;
        Assert.Equal("ConfigMap", (string?)parsed["kind"]);
        Assert.Equal("y", (string?)parsed["metadata"]!["name"]);
        Assert.Equal("v", (string?)parsed["data"]!["k"]);
        Assert.Contains("kind: ConfigMap", one.Text);

        var list = await Api.GetAsync($"/api/v1/namespaces/{ns}/configmaps", "application/yaml");
        ApiAssert.Code(200, list);
        Assert.StartsWith("application/yaml", list.ContentType);
        var parsedList = YamlReader.Read(list.Text)!;
        Assert.Equal("ConfigMapList", (string?)parsedList["kind"]);
        Assert.Single(parsedList["items"]!.AsArray());

        // Errors stay JSON Status bodies (kubectl reads them as such).
        var missing = await Api.GetAsync($"/api/v1/namespaces/{ns}/configmaps/nope", "application/yaml");
        Assert.Equal(404, missing.Code);
    }

    [Fact]
    public async Task Protobuf_request_body_from_kubectl_creates_the_configmap()
    {
        var ns = await fixture.NewNamespaceAsync();
        var body = Convert.FromHexString(ConfigMapProtobufHex.Replace(" ", ""));
        var response = await Api.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps?fieldManager=kubectl-create&fieldValidation=Strict",
            body, "application/vnd.kubernetes.protobuf", "application/vnd.kubernetes.protobuf,application/json");
        ApiAssert.Code(201, response);
        Assert.StartsWith("application/json", response.ContentType);
        var created = response.Object;
        Assert.Equal("ConfigMap", (string?)created["kind"]);
        Assert.Equal("cfg", (string?)created["metadata"]!["name"]);
        Assert.Equal(ns, (string?)created["metadata"]!["namespace"]);

        var stored = await Api.ReadAsync($"/api/v1/namespaces/{ns}/configmaps/cfg");
        Assert.Equal("v", (string?)stored["data"]!["k"]);
        Assert.Equal(ApiAssert.Rv(created), ApiAssert.Rv(stored));
    }

    [Fact]
    public async Task Truncated_protobuf_body_is_400_and_stores_nothing()
    {
        var ns = await fixture.NewNamespaceAsync();
        var body = Convert.FromHexString(ConfigMapProtobufHex.Replace(" ", ""))[..30];
        var response = await Api.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", body, "application/vnd.kubernetes.protobuf");
        ApiAssert.Failure(response, 400, "BadRequest");
        Assert.Empty(ApiAssert.Names(await Api.ReadAsync($"/api/v1/namespaces/{ns}/configmaps")));
    }

    [Fact]
    public async Task Http2_works_for_reads_writes_and_watches()
    {
        var ns = await fixture.NewNamespaceAsync();
        var h2 = new ApiClient(fixture.Server.NewHttpClient(fixture.Server.AdminCertificate, HttpVersion.Version20));
        var collection = $"/api/v1/namespaces/{ns}/configmaps";

        var listed = await h2.GetAsync(collection);
        ApiAssert.Code(200, listed);
        Assert.Equal(HttpVersion.Version20, listed.HttpVersion);

        using var watch = await h2.WatchAsync($"{collection}?watch=true&resourceVersion={ApiAssert.Rv(listed.Object)}");
        Assert.Equal(HttpVersion.Version20, watch.Response.Version);

        var created = await h2.PostAsync(collection, Objects.ConfigMap("h2"));
        ApiAssert.Code(201, created);
        Assert.Equal(HttpVersion.Version20, created.HttpVersion);

        var e = await watch.NextAsync();
        Assert.Equal("ADDED", (string?)e["type"]);
        Assert.Equal("h2", (string?)e["object"]!["metadata"]!["name"]);

        // Many requests share the one connection at once.
        var reads = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => h2.GetAsync($"{collection}/h2")));
        Assert.All(reads, r => ApiAssert.Code(200, r));
    }

    [Fact]
    public async Task Http1_1_works()
    {
        var ns = await fixture.NewNamespaceAsync();
        var response = await Api.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps", version: HttpVersion.Version11);
        ApiAssert.Code(200, response);
        Assert.Equal(HttpVersion.Version11, response.HttpVersion);
    }
}
