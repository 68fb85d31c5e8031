using System.Diagnostics;
using System.Text.Json.Nodes;
using Korral.ApiServer.Tests.Fixtures;

namespace Korral.ApiServer.Tests.Watch;

/// <summary>Watch streams: order, resourceVersions, selectors, bookmarks, timeouts and the initial ADDED events.</summary>
public sealed class WatchTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private ApiClient Api => fixture.Api;

    private static string Type(JsonObject e) => (string?)e["type"] ?? "";

    private static string Name(JsonObject e) => (string?)e["object"]?["metadata"]?["name"] ?? "";

    private static long Rv(JsonObject e) => ApiAssert.Rv(e["object"]);

    [Fact]
    public async Task From_a_list_resourceVersion_events_arrive_in_order_with_their_resourceVersions()
    {
        var ns = await fixture.NewNamespaceAsync();
        var collection = $"/api/v1/namespaces/{ns}/configmaps";
        var listRv = ApiAssert.Rv(await Api.ReadAsync(collection));
        using var watch = await Api.WatchAsync($"{collection}?watch=true&resourceVersion={listRv}");
        Assert.Equal(200, watch.Code);
        Assert.StartsWith("application/json", watch.Response.Content.Headers.ContentType?.ToString());

        var created = await Api.CreateAsync(collection, Objects.ConfigMap("x"));
        var patched = await Api.PatchAsync($"{collection}/x", """{"data":{"k":"v2"}}""");
        ApiAssert.Code(200, patched);
        ApiAssert.Code(200, await Api.DeleteAsync($"{collection}/x"));
        var after = await Api.CreateAsync(collection, Objects.ConfigMap("y"));

        var added = await watch.NextAsync();
        Assert.Equal(("ADDED", "x"), (Type(added), Name(added)));
        Assert.Equal(ApiAssert.Rv(created), Rv(added));
        Assert.Equal("ConfigMap", (string?)added["object"]!["kind"]);
        Assert.Equal("v1", (string?)added["object"]!["apiVersion"]);

        var modified = await watch.NextAsync();
        Assert.Equal(("MODIFIED", "x"), (Type(modified), Name(modified)));
        Assert.Equal(ApiAssert.Rv(patched.Object), Rv(modified));
        Assert.Equal("v2", (string?)modified["object"]!["data"]!["k"]);

        // DELETED carries the last state, stamped with the revision of the delete.
        var deleted = await watch.NextAsync();
        Assert.Equal(("DELETED", "x"), (Type(deleted), Name(deleted)));
        Assert.Equal("v2", (string?)deleted["object"]!["data"]!["k"]);
        Assert.InRange(Rv(deleted), Rv(modified) + 1, ApiAssert.Rv(after) - 1);

        var next = await watch.NextAsync();
        Assert.Equal(("ADDED", "y"), (Type(next), Name(next)));
        Assert.Equal(ApiAssert.Rv(after), Rv(next));
    }

    [Fact]
    public async Task Watch_from_an_older_resourceVersion_replays_what_happened_since()
    {
        var ns = await fixture.NewNamespaceAsync();
        var collection = $"/api/v1/namespaces/{ns}/configmaps";
        var listRv = ApiAssert.Rv(await Api.ReadAsync(collection));
        var a = await Api.CreateAsync(collection, Objects.ConfigMap("a"));
        var b = await Api.CreateAsync(collection, Objects.ConfigMap("b"));

        using var watch = await Api.WatchAsync($"{collection}?watch=true&resourceVersion={listRv}");
        var first = await watch.NextAsync();
        var second = await watch.NextAsync();
        Assert.Equal(("ADDED", "a", ApiAssert.Rv(a)), (Type(first), Name(first), Rv(first)));
        Assert.Equal(("ADDED", "b", ApiAssert.Rv(b)), (Type(second), Name(second), Rv(second)));

        // From b's resourceVersion only later events come.
        using var later = await Api.WatchAsync($"{collection}?watch=true&resourceVersion={ApiAssert.Rv(b)}");
        await Api.CreateAsync(collection, Objects.ConfigMap("c"));
        var c = await later.NextAsync();
        Assert.Equal(("ADDED", "c"), (Type(c), Name(c)));
    }

    [Fact]
    public async Task Object_that_stops_matching_a_label_selector_arrives_as_DELETED()
    {
        var ns = await fixture.NewNamespaceAsync();
        var collection = $"/api/v1/namespaces/{ns}/configmaps";
        var listRv = ApiAssert.Rv(await Api.ReadAsync(collection));
        using var watch = await Api.WatchAsync($"{collection}?watch=true&labelSelector=app%3Dweb&resourceVersion={listRv}");

        await Api.CreateAsync(collection, Objects.ConfigMap("other", labels: Objects.Labels(("app", "db"))));
        await Api.CreateAsync(collection, Objects.ConfigMap("w", labels: Objects.Labels(("app", "web"))));
        var relabelled = await Api.PatchAsync($"{collection}/w", """{"metadata":{"labels":{"app":"db"}}}""");
        ApiAssert.Code(200, relabelled);
        ApiAssert.Code(200, await Api.PatchAsync($"{collection}/other", """{"metadata":{"labels":{"app":"web"}}}"""));
        ApiAssert.Code(200, await Api.PatchAsync($"{collection}/other", """{"data":{"k":"v2"}}"""));

        var e1 = await watch.NextAsync();
        Assert.Equal(("ADDED", "w"), (Type(e1), Name(e1)));
        var e2 = await watch.NextAsync();
        Assert.Equal(("DELETED", "w"), (Type(e2), Name(e2)));
        Assert.Equal(ApiAssert.Rv(relabelled.Object), Rv(e2));
        var e3 = await watch.NextAsync();
        Assert.Equal(("ADDED", "other"), (Type(e3), Name(e3)));
        var e4 = await watch.NextAsync();
        Assert.Equal(("MODIFIED", "other"), (Type(e4), Name(e4)));
    }

    [Fact]
    public async Task Field_selector_on_metadata_name_filters_the_watch()
    {
        // What kubectl delete/wait/rollout status use (kubectl-compat 5.1).
        var ns = await fixture.NewNamespaceAsync();
        var collection = $"/api/v1/namespaces/{ns}/configmaps";
        var list = await Api.ReadAsync($"{collection}?fieldSelector=metadata.name%3Db&limit=500&resourceVersion=0");
        using var watch = await Api.WatchAsync(
            $"{collection}?allowWatchBookmarks=true&fieldSelector=metadata.name%3Db&resourceVersion={ApiAssert.Rv(list)}&timeoutSeconds=434&watch=true");

        await Api.CreateAsync(collection, Objects.ConfigMap("a"));
        await Api.CreateAsync(collection, Objects.ConfigMap("b"));
        ApiAssert.Code(200, await Api.PatchAsync($"{collection}/a", """{"data":{"k":"2"}}"""));
        ApiAssert.Code(200, await Api.DeleteAsync($"{collection}/a"));
        ApiAssert.Code(200, await Api.DeleteAsync($"{collection}/b"));

        var e1 = await watch.NextNonBookmarkAsync();
        Assert.Equal(("ADDED", "b"), (Type(e1), Name(e1)));
        var e2 = await watch.NextNonBookmarkAsync();
        Assert.Equal(("DELETED", "b"), (Type(e2), Name(e2)));
    }

    [Fact]
    public async Task Idle_watch_with_bookmarks_allowed_gets_a_BOOKMARK()
    {
        var ns = await fixture.NewNamespaceAsync();
        var collection = $"/api/v1/namespaces/{ns}/configmaps";
        await Api.CreateAsync(collection, Objects.ConfigMap("a"));
        var listRv = ApiAssert.Rv(await Api.ReadAsync(collection));
        using var watch = await Api.WatchAsync($"{collection}?watch=true&allowWatchBookmarks=true&resourceVersion={listRv}");

        var bookmark = await watch.NextAsync(TestServer.BookmarkInterval * 20);
        Assert.Equal("BOOKMARK", Type(bookmark));
        var obj = bookmark["object"]!;
        Assert.Equal("ConfigMap", (string?)obj["kind"]);
        Assert.Equal("v1", (string?)obj["apiVersion"]);
        Assert.True(ApiAssert.Rv(obj) >= listRv);
        Assert.Null(obj["metadata"]!["name"]);
    }

    [Fact]
    public async Task Watch_without_bookmarks_allowed_gets_none()
    {
        var ns = await fixture.NewNamespaceAsync();
        var collection = $"/api/v1/namespaces/{ns}/configmaps";
        var listRv = ApiAssert.Rv(await Api.ReadAsync(collection));
        using var watch = await Api.WatchAsync($"{collection}?watch=true&resourceVersion={listRv}&timeoutSeconds=2");

        // Several bookmark intervals pass, then the timeout ends the stream: nothing came in between.
        await watch.EndAsync(TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task TimeoutSeconds_ends_the_stream()
    {
        var ns = await fixture.NewNamespaceAsync();
        var collection = $"/api/v1/namespaces/{ns}/configmaps";
        var clock = Stopwatch.StartNew();
        using var watch = await Api.WatchAsync($"{collection}?watch=true&timeoutSeconds=1");
        Assert.Equal(200, watch.Code);
        await watch.EndAsync(TimeSpan.FromSeconds(15));
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Watch_without_resourceVersion_starts_with_ADDED_for_existing_objects()
    {
        var ns = await fixture.NewNamespaceAsync();
        var collection = $"/api/v1/namespaces/{ns}/configmaps";
        var a = await Api.CreateAsync(collection, Objects.ConfigMap("a"));
        await Api.CreateAsync(collection, Objects.ConfigMap("b"));
        ApiAssert.Code(200, await Api.PatchAsync($"{collection}/a", """{"data":{"k":"2"}}"""));

        using var watch = await Api.WatchAsync($"{collection}?watch=true");
        var first = await watch.NextAsync();
        var second = await watch.NextAsync();
        Assert.Equal(["ADDED", "ADDED"], new[] { Type(first), Type(second) });
        Assert.Equal(["a", "b"], new[] { Name(first), Name(second) }.Order());
        var current = first["object"]!["metadata"]!["name"]!.GetValue<string>() == "a" ? first : second;
        Assert.Equal("2", (string?)current["object"]!["data"]!["k"]);
        Assert.True(Rv(current) > ApiAssert.Rv(a));

        await Api.CreateAsync(collection, Objects.ConfigMap("c"));
        var third = await watch.NextAsync();
        Assert.Equal(("ADDED", "c"), (Type(third), Name(third)));
    }

    [Fact]
    public async Task Cluster_wide_watch_of_a_namespaced_resource_sees_every_namespace()
    {
        var ns1 = await fixture.NewNamespaceAsync();
        var ns2 = await fixture.NewNamespaceAsync();
        var listRv = ApiAssert.Rv(await Api.ReadAsync("/api/v1/configmaps?limit=1"));
        var label = Guid.NewGuid().ToString("N");
        using var watch = await Api.WatchAsync($"/api/v1/configmaps?watch=true&labelSelector=run%3D{label}&resourceVersion={listRv}");
        await Api.CreateAsync($"/api/v1/namespaces/{ns1}/configmaps", Objects.ConfigMap("x", labels: Objects.Labels(("run", label))));
        await Api.CreateAsync($"/api/v1/namespaces/{ns2}/configmaps", Objects.ConfigMap("x", labels: Objects.Labels(("run", label))));

        var e1 = await watch.NextAsync();
        var e2 = await watch.NextAsync();
        Assert.Equal(ns1, (string?)e1["object"]!["metadata"]!["namespace"]);
        Assert.Equal(ns2, (string?)e2["object"]!["metadata"]!["namespace"]);
    }
}
