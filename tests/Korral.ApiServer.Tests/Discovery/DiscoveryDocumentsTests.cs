using System.Text.Json;
using Korral.Api.Resources;
using Korral.ApiServer.Discovery;

namespace Korral.ApiServer.Tests.Discovery;

public sealed class DiscoveryDocumentsTests
{
    private static readonly DiscoveryDocuments Documents =
        new(BuiltinResources.Instance, new DiscoveryOptions { ServerAddress = "10.0.0.1:6443" });

    private static JsonElement Parse(DocumentResponse response)
    {
        Assert.Equal(200, response.StatusCode);
        return JsonDocument.Parse(response.Body).RootElement;
    }

    private static JsonElement Item(JsonElement list, string name) =>
        list.EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);

    [Fact]
    public void Legacy_api_lists_v1_and_the_server_address()
    {
        var response = Documents.Api(DiscoveryFormat.Legacy);
        var body = Parse(response);

        Assert.Equal("application/json", response.ContentType);
        Assert.Equal("APIVersions", body.GetProperty("kind").GetString());
        Assert.Equal(["v1"], body.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
        var address = Assert.Single(body.GetProperty("serverAddressByClientCIDRs").EnumerateArray());
        Assert.Equal("0.0.0.0/0", address.GetProperty("clientCIDR").GetString());
        Assert.Equal("10.0.0.1:6443", address.GetProperty("serverAddress").GetString());
    }

    [Fact]
    public void Without_a_server_address_api_leaves_the_list_out()
    {
        var body = Parse(new DiscoveryDocuments(BuiltinResources.Instance).Api(DiscoveryFormat.Legacy));

        Assert.False(body.TryGetProperty("serverAddressByClientCIDRs", out _));
    }

    [Theory]
    [InlineData(DiscoveryFormat.AggregatedV2, "apidiscovery.k8s.io/v2")]
    [InlineData(DiscoveryFormat.AggregatedV2Beta1, "apidiscovery.k8s.io/v2beta1")]
    public void Aggregated_api_is_one_item_named_empty_with_the_core_resources(DiscoveryFormat format, string apiVersion)
    {
        var response = Documents.Api(format);
        var body = Parse(response);

        Assert.Equal(DiscoveryNegotiation.ContentType(format), response.ContentType);
        Assert.Equal("APIGroupDiscoveryList", body.GetProperty("kind").GetString());
        Assert.Equal(apiVersion, body.GetProperty("apiVersion").GetString());
        var item = Assert.Single(body.GetProperty("items").EnumerateArray());
        Assert.Equal("", item.GetProperty("metadata").GetProperty("name").GetString());
        var version = Assert.Single(item.GetProperty("versions").EnumerateArray());
        Assert.Equal("v1", version.GetProperty("version").GetString());
        Assert.Equal("Current", version.GetProperty("freshness").GetString());

        var pods = version.GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("resource").GetString() == "pods");
        Assert.Equal("pod", pods.GetProperty("singularResource").GetString());
        Assert.Equal("Namespaced", pods.GetProperty("scope").GetString());
        Assert.Equal("""{"group":"","version":"v1","kind":"Pod"}""", pods.GetProperty("responseKind").GetRawText());
        Assert.Equal(["po"], pods.GetProperty("shortNames").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(["all"], pods.GetProperty("categories").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(ResourceInfo.StandardVerbs, pods.GetProperty("verbs").EnumerateArray().Select(s => s.GetString()));
        var eviction = pods.GetProperty("subresources").EnumerateArray().Single(s => s.GetProperty("subresource").GetString() == "eviction");
        Assert.Equal("""{"group":"policy","version":"v1","kind":"Eviction"}""", eviction.GetProperty("responseKind").GetRawText());
        Assert.Equal(["create"], eviction.GetProperty("verbs").EnumerateArray().Select(s => s.GetString()));

        var nodes = version.GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("resource").GetString() == "nodes");
        Assert.Equal("Cluster", nodes.GetProperty("scope").GetString());
    }

    [Fact]
    public void The_two_aggregated_versions_differ_only_in_api_version()
    {
        var v2 = System.Text.Encoding.UTF8.GetString(Documents.Apis(DiscoveryFormat.AggregatedV2).Body);
        var v2beta1 = System.Text.Encoding.UTF8.GetString(Documents.Apis(DiscoveryFormat.AggregatedV2Beta1).Body);

        Assert.Equal(v2, v2beta1.Replace("apidiscovery.k8s.io/v2beta1", "apidiscovery.k8s.io/v2", StringComparison.Ordinal));
    }

    [Fact]
    public void Aggregated_apis_lists_groups_in_order_with_the_preferred_version_first()
    {
        var body = Parse(Documents.Apis(DiscoveryFormat.AggregatedV2));
        var items = body.GetProperty("items").EnumerateArray().ToList();

        Assert.Equal(
            BuiltinResources.Instance.Groups.Where(g => !g.IsCore).Select(g => g.Name),
            items.Select(i => i.GetProperty("metadata").GetProperty("name").GetString()));

        var autoscaling = items.Single(i => i.GetProperty("metadata").GetProperty("name").GetString() == "autoscaling");
        Assert.Equal(["v2", "v1"], autoscaling.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetString()));

        var apps = items.Single(i => i.GetProperty("metadata").GetProperty("name").GetString() == "apps");
        var deployments = apps.GetProperty("versions")[0].GetProperty("resources").EnumerateArray()
            .Single(r => r.GetProperty("resource").GetString() == "deployments");
        Assert.Equal(["deploy"], deployments.GetProperty("shortNames").EnumerateArray().Select(s => s.GetString()));
        var scale = deployments.GetProperty("subresources").EnumerateArray().Single(s => s.GetProperty("subresource").GetString() == "scale");
        Assert.Equal("""{"group":"autoscaling","version":"v1","kind":"Scale"}""", scale.GetProperty("responseKind").GetRawText());
        Assert.Equal(["get", "patch", "update"], scale.GetProperty("verbs").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public void Every_aggregated_resource_and_subresource_has_a_response_kind()
    {
        // client-go silently drops entries without one.
        foreach (var response in new[] { Documents.Api(DiscoveryFormat.AggregatedV2), Documents.Apis(DiscoveryFormat.AggregatedV2) })
        {
            foreach (var item in Parse(response).GetProperty("items").EnumerateArray())
            {
                foreach (var version in item.GetProperty("versions").EnumerateArray())
                {
                    foreach (var resource in version.GetProperty("resources").EnumerateArray())
                    {
                        Assert.False(string.IsNullOrEmpty(resource.GetProperty("responseKind").GetProperty("kind").GetString()));
                        if (resource.TryGetProperty("subresources", out var subresources))
                        {
                            Assert.All(subresources.EnumerateArray(), s =>
                                Assert.False(string.IsNullOrEmpty(s.GetProperty("responseKind").GetProperty("kind").GetString())));
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void Legacy_apis_lists_group_versions_and_preferred_versions()
    {
        var body = Parse(Documents.Apis(DiscoveryFormat.Legacy));

        Assert.Equal("APIGroupList", body.GetProperty("kind").GetString());
        Assert.Equal("v1", body.GetProperty("apiVersion").GetString());
        var groups = body.GetProperty("groups");
        Assert.Equal("apps", groups[0].GetProperty("name").GetString());
        var autoscaling = Item(groups, "autoscaling");
        Assert.Equal(
            ["autoscaling/v2", "autoscaling/v1"],
            autoscaling.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("groupVersion").GetString()));
        Assert.Equal("""{"groupVersion":"autoscaling/v2","version":"v2"}""", autoscaling.GetProperty("preferredVersion").GetRawText());
        Assert.DoesNotContain(groups.EnumerateArray(), g => g.GetProperty("name").GetString() == "");
    }

    [Fact]
    public void Core_resource_list_has_subresources_as_slash_entries()
    {
        var body = Parse(Documents.ResourceList("", "v1")!);
        var resources = body.GetProperty("resources");

        Assert.Equal("APIResourceList", body.GetProperty("kind").GetString());
        Assert.Equal("v1", body.GetProperty("groupVersion").GetString());

        var pods = Item(resources, "pods");
        Assert.Equal("pod", pods.GetProperty("singularName").GetString());
        Assert.True(pods.GetProperty("namespaced").GetBoolean());
        Assert.Equal("Pod", pods.GetProperty("kind").GetString());

        var log = Item(resources, "pods/log");
        Assert.Equal("", log.GetProperty("singularName").GetString());
        Assert.Equal("Pod", log.GetProperty("kind").GetString());
        Assert.Equal(["get"], log.GetProperty("verbs").EnumerateArray().Select(v => v.GetString()));
        Assert.False(log.TryGetProperty("group", out _));

        var eviction = Item(resources, "pods/eviction");
        Assert.Equal("policy", eviction.GetProperty("group").GetString());
        Assert.Equal("v1", eviction.GetProperty("version").GetString());
        Assert.Equal("Eviction", eviction.GetProperty("kind").GetString());

        var token = Item(resources, "serviceaccounts/token");
        Assert.Equal("authentication.k8s.io", token.GetProperty("group").GetString());
        Assert.Equal("TokenRequest", token.GetProperty("kind").GetString());

        var namespaces = Item(resources, "namespaces");
        Assert.False(namespaces.GetProperty("namespaced").GetBoolean());
        Assert.False(namespaces.TryGetProperty("categories", out _));

        var names = resources.EnumerateArray().Select(r => r.GetProperty("name").GetString()!).ToList();
        Assert.True(names.IndexOf("pods") < names.IndexOf("pods/attach"));
        Assert.True(names.IndexOf("pods/status") < names.IndexOf("podtemplates"));
    }

    [Fact]
    public void Group_resource_lists_name_the_scale_kind_of_another_group()
    {
        var body = Parse(Documents.ResourceList("apps", "v1")!);
        var scale = Item(body.GetProperty("resources"), "deployments/scale");

        Assert.Equal("apps/v1", body.GetProperty("groupVersion").GetString());
        Assert.Equal("autoscaling", scale.GetProperty("group").GetString());
        Assert.Equal("v1", scale.GetProperty("version").GetString());
        Assert.Equal("Scale", scale.GetProperty("kind").GetString());
    }

    [Fact]
    public void Api_group_document_names_its_versions()
    {
        var body = Parse(Documents.Group("autoscaling")!);

        Assert.Equal("APIGroup", body.GetProperty("kind").GetString());
        Assert.Equal("autoscaling", body.GetProperty("name").GetString());
        Assert.Equal("v2", body.GetProperty("preferredVersion").GetProperty("version").GetString());
        Assert.Null(Documents.Group("extensions"));
        Assert.Null(Documents.Group(""));
    }

    [Fact]
    public void Resolve_routes_discovery_paths_and_negotiates_only_api_and_apis()
    {
        const string v2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";

        Assert.Equal(DiscoveryNegotiation.AggregatedV2ContentType, Documents.Resolve("/api", v2)!.ContentType);
        Assert.Equal(DiscoveryNegotiation.AggregatedV2ContentType, Documents.Resolve("/apis/", v2)!.ContentType);
        Assert.Equal("application/json", Documents.Resolve("/apis", "application/json, */*")!.ContentType);
        Assert.Same(Documents.ResourceList("", "v1"), Documents.Resolve("/api/v1", v2));
        Assert.Same(Documents.ResourceList("apps", "v1"), Documents.Resolve("/apis/apps/v1", null));
        Assert.Same(Documents.Group("apps"), Documents.Resolve("/apis/apps", null));
        Assert.Null(Documents.Resolve("/apis/apps/v1beta1", null));
        Assert.Null(Documents.Resolve("/api/v2", null));
        Assert.Null(Documents.Resolve("/apis/apps/v1/deployments", null));
        Assert.Null(Documents.Resolve("/healthz", null));

        var refused = Documents.Resolve("/api", "application/vnd.kubernetes.protobuf")!;
        Assert.Equal(406, refused.StatusCode);
        Assert.Empty(refused.Body);
    }

    [Fact]
    public void Answers_carry_a_stable_etag_and_vary_on_accept()
    {
        var first = Documents.Apis(DiscoveryFormat.AggregatedV2);
        var again = new DiscoveryDocuments(BuiltinResources.Instance, new DiscoveryOptions { ServerAddress = "10.0.0.1:6443" })
            .Apis(DiscoveryFormat.AggregatedV2);

        Assert.NotNull(first.ETag);
        Assert.Matches("^\"[0-9A-F]{128}\"$", first.ETag);
        Assert.Equal(first.ETag, again.ETag);
        Assert.NotEqual(first.ETag, Documents.Apis(DiscoveryFormat.AggregatedV2Beta1).ETag);
        Assert.Contains(new KeyValuePair<string, string>("Vary", "Accept"), first.Headers);
        Assert.True(first.IsNotModified(first.ETag));
        Assert.True(first.IsNotModified("W/" + first.ETag + ", \"other\""));
        Assert.True(first.IsNotModified("*"));
        Assert.False(first.IsNotModified("\"other\""));
        Assert.False(first.IsNotModified(null));
    }

    [Fact]
    public void Documents_follow_the_catalog_they_are_built_from()
    {
        var pods = BuiltinResources.Instance.Find("", "v1", "pods")!;
        var deployments = BuiltinResources.Instance.Find("apps", "v1", "deployments")!;
        var small = new DiscoveryDocuments(new ResourceCatalog([pods, deployments]));

        var apis = Parse(small.Apis(DiscoveryFormat.Legacy));
        Assert.Equal(["apps"], apis.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("name").GetString()));
        Assert.Single(Parse(small.ResourceList("", "v1")!).GetProperty("resources").EnumerateArray(), r => r.GetProperty("name").GetString() == "pods");
        Assert.Null(small.ResourceList("batch", "v1"));
    }
}
