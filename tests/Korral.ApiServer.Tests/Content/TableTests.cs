using System.Text.Json.Nodes;
using Korral.ApiServer.Tests.Fixtures;

namespace Korral.ApiServer.Tests.Content;

/// <summary>Server-side Tables (kubectl get) and PartialObjectMetadata(List) responses.</summary>
public sealed class TableTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    // What kubectl get sends (kubectl-compat 3.1).
    private const string KubectlTableAccept =
        "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

    private const string PartialListAccept = "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json";

    private ApiClient Api => fixture.Api;

    private static List<string> ColumnNames(JsonObject table) =>
        table["columnDefinitions"]!.AsArray().Select(c => (string?)c!["name"] ?? "").ToList();

    private async Task<string> SeedAsync()
    {
        var ns = await fixture.NewNamespaceAsync();
        await Api.CreateAsync($"/api/v1/namespaces/{ns}/configmaps",
            Objects.ConfigMap("two", new JsonObject { ["a"] = "1", ["b"] = "2" }, Objects.Labels(("app", "t"))));
        await Api.CreateAsync($"/api/v1/namespaces/{ns}/configmaps", Objects.ConfigMap("one"));
        return ns;
    }

    [Fact]
    public async Task List_as_Table_has_columns_rows_and_partial_metadata()
    {
        var ns = await SeedAsync();
        var response = await Api.GetAsync($"/api/v1/namespaces/{ns}/configmaps?limit=500", KubectlTableAccept);
        ApiAssert.Code(200, response);
        Assert.StartsWith("application/json", response.ContentType);
        var table = response.Object;
        Assert.Equal("Table", (string?)table["kind"]);
        Assert.Equal("meta.k8s.io/v1", (string?)table["apiVersion"]);
        Assert.True(ApiAssert.Rv(table) > 0);

        foreach (var column in table["columnDefinitions"]!.AsArray())
        {
            Assert.NotNull((string?)column!["name"]);
            Assert.NotNull((string?)column["type"]);
            Assert.NotNull(column["format"]);
            Assert.NotNull(column["description"]);
            Assert.NotNull(column["priority"]);
        }

        var rows = table["rows"]!.AsArray();
        Assert.Equal(2, rows.Count);
        var row = rows.Single(r => (string?)r!["object"]!["metadata"]!["name"] == "two")!;
        var obj = row["object"]!;
        Assert.Equal("PartialObjectMetadata", (string?)obj["kind"]);
        Assert.Equal("meta.k8s.io/v1", (string?)obj["apiVersion"]);
        Assert.Equal(ns, (string?)obj["metadata"]!["namespace"]);
        Assert.Equal("t", (string?)obj["metadata"]!["labels"]!["app"]);
        Assert.NotNull((string?)obj["metadata"]!["uid"]);
        Assert.NotNull((string?)obj["metadata"]!["creationTimestamp"]);
        Assert.Null(obj["data"]);
        Assert.Equal("two", (string?)row["cells"]![0]);
    }

    [Fact]
    public async Task ConfigMap_table_has_upstream_columns_and_cells()
    {
        // pkg/printers/internalversion: Name, Data (number of keys), Age.
        var ns = await SeedAsync();
        var table = (await Api.GetAsync($"/api/v1/namespaces/{ns}/configmaps", KubectlTableAccept)).Object;
        Assert.Equal(["Name", "Data", "Age"], ColumnNames(table));
        Assert.Equal("name", (string?)table["columnDefinitions"]![0]!["format"]);
        var cells = table["rows"]!.AsArray().Single(r => (string?)r!["cells"]![0] == "two")!["cells"]!.AsArray();
        Assert.Equal(3, cells.Count);
        Assert.Equal(2, cells[1]!.GetValue<long>());
        Assert.Matches("^[0-9]+s$", (string?)cells[2]);
    }

    [Fact]
    public async Task Pod_table_has_upstream_columns_and_cells()
    {
        var ns = await fixture.NewNamespaceAsync();
        await Api.CreateAsync($"/api/v1/namespaces/{ns}/pods", Objects.Pod("p"));
        var table = (await Api.GetAsync($"/api/v1/namespaces/{ns}/pods", KubectlTableAccept)).Object;
        Assert.Equal(["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"], ColumnNames(table));
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1, 1], table["columnDefinitions"]!.AsArray().Select(c => c!["priority"]!.GetValue<int>()));
        var cells = table["rows"]![0]!["cells"]!.AsArray();
        Assert.Equal("p", (string?)cells[0]);
        Assert.Equal("0/1", (string?)cells[1]);
        Assert.Equal("Pending", (string?)cells[2]);
        Assert.Equal("0", cells[3]!.ToJsonString().Trim('"'));
        Assert.Equal("<none>", (string?)cells[5]);
        Assert.Equal("<none>", (string?)cells[6]);
    }

    [Fact]
    public async Task IncludeObject_Object_puts_full_objects_in_rows()
    {
        var ns = await SeedAsync();
        var table = (await Api.GetAsync($"/api/v1/namespaces/{ns}/configmaps?includeObject=Object", KubectlTableAccept)).Object;
        var obj = table["rows"]!.AsArray().Select(r => r!["object"]!).Single(o => (string?)o["metadata"]!["name"] == "two");
        Assert.Equal("ConfigMap", (string?)obj["kind"]);
        Assert.Equal("v1", (string?)obj["apiVersion"]);
        Assert.Equal("2", (string?)obj["data"]!["b"]);
    }

    [Fact]
    public async Task IncludeObject_None_leaves_objects_out()
    {
        var ns = await SeedAsync();
        var table = (await Api.GetAsync($"/api/v1/namespaces/{ns}/configmaps?includeObject=None", KubectlTableAccept)).Object;
        Assert.All(table["rows"]!.AsArray(), r => Assert.Null(r!["object"]));
    }

    [Fact]
    public async Task Single_object_as_Table_has_one_row()
    {
        var ns = await SeedAsync();
        var table = (await Api.GetAsync($"/api/v1/namespaces/{ns}/configmaps/one", KubectlTableAccept)).Object;
        Assert.Equal("Table", (string?)table["kind"]);
        var row = table["rows"]!.AsArray().Single()!;
        Assert.Equal("one", (string?)row["cells"]![0]);
        Assert.Equal("PartialObjectMetadata", (string?)row["object"]!["kind"]);
    }

    [Fact]
    public async Task Table_v1beta1_is_answered_in_v1beta1()
    {
        var ns = await SeedAsync();
        var table = (await Api.GetAsync($"/api/v1/namespaces/{ns}/configmaps", "application/json;as=Table;v=v1beta1;g=meta.k8s.io")).Object;
        Assert.Equal("Table", (string?)table["kind"]);
        Assert.Equal("meta.k8s.io/v1beta1", (string?)table["apiVersion"]);
    }

    [Fact]
    public async Task PartialObjectMetadataList_accept_gives_metadata_only()
    {
        var ns = await SeedAsync();
        var response = await Api.GetAsync($"/api/v1/namespaces/{ns}/configmaps", PartialListAccept);
        ApiAssert.Code(200, response);
        var list = response.Object;
        Assert.Equal("PartialObjectMetadataList", (string?)list["kind"]);
        Assert.Equal("meta.k8s.io/v1", (string?)list["apiVersion"]);
        Assert.True(ApiAssert.Rv(list) > 0);
        Assert.Equal(["one", "two"], ApiAssert.Names(list));
        Assert.All(list["items"]!.AsArray(), i =>
        {
            Assert.Equal("PartialObjectMetadata", (string?)i!["kind"]);
            Assert.Null(i["data"]);
            Assert.NotNull((string?)i["metadata"]!["resourceVersion"]);
        });
    }

    [Fact]
    public async Task PartialObjectMetadata_accept_on_a_single_object()
    {
        var ns = await SeedAsync();
        var obj = (await Api.GetAsync($"/api/v1/namespaces/{ns}/configmaps/two", "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io")).Object;
        Assert.Equal("PartialObjectMetadata", (string?)obj["kind"]);
        Assert.Equal("two", (string?)obj["metadata"]!["name"]);
        Assert.Null(obj["data"]);
    }

    [Fact]
    public async Task Unsatisfiable_accept_is_406()
    {
        var ns = await SeedAsync();
        ApiAssert.Failure(await Api.GetAsync($"/api/v1/namespaces/{ns}/configmaps", "text/html"), 406, "NotAcceptable");
    }

    [Fact]
    public async Task Watch_as_Table_sends_one_row_per_event()
    {
        var ns = await fixture.NewNamespaceAsync();
        var collection = $"/api/v1/namespaces/{ns}/configmaps";
        var listRv = ApiAssert.Rv(await Api.ReadAsync(collection));
        using var watch = await Api.WatchAsync($"{collection}?watch=true&resourceVersion={listRv}", "application/json;as=Table;v=v1;g=meta.k8s.io");
        await Api.CreateAsync(collection, Objects.ConfigMap("w"));
        var e = await watch.NextAsync();
        Assert.Equal("ADDED", (string?)e["type"]);
        Assert.Equal("Table", (string?)e["object"]!["kind"]);
        var row = e["object"]!["rows"]!.AsArray().Single()!;
        Assert.Equal("w", (string?)row["cells"]![0]);
        Assert.Equal("w", (string?)row["object"]!["metadata"]!["name"]);
    }
}
