using System.Text.Json.Nodes;
using Korral.ApiServer.Tests.Fixtures;

namespace Korral.ApiServer.Tests.Lists;

/// <summary>limit/continue pages, their snapshot semantics, and resourceVersion / resourceVersionMatch on lists.</summary>
public sealed class PaginationTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private ApiClient Api => fixture.Api;

    private async Task<(string Ns, string Collection)> SeedAsync(int count)
    {
        var ns = await fixture.NewNamespaceAsync();
        var collection = $"/api/v1/namespaces/{ns}/configmaps";
        for (var i = 0; i < count; i++)
        {
            await Api.CreateAsync(collection, Objects.ConfigMap($"cm-{i:D2}"));
        }

        return (ns, collection);
    }

    private static string? Continue(JsonObject list) => (string?)list["metadata"]!["continue"];

    private static long? Remaining(JsonObject list) => list["metadata"]!["remainingItemCount"]?.GetValue<long>();

    [Fact]
    public async Task Three_pages_of_ten_over_twenty_five_objects()
    {
        var (_, collection) = await SeedAsync(25);

        var page1 = await Api.ReadAsync($"{collection}?limit=10");
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"cm-{i:D2}"), ApiAssert.Names(page1));
        Assert.False(string.IsNullOrEmpty(Continue(page1)));
        Assert.Equal(15, Remaining(page1));
        var listRv = ApiAssert.Rv(page1);

        var page2 = await Api.ReadAsync($"{collection}?limit=10&continue={Uri.EscapeDataString(Continue(page1)!)}");
        Assert.Equal(Enumerable.Range(10, 10).Select(i => $"cm-{i:D2}"), ApiAssert.Names(page2));
        Assert.False(string.IsNullOrEmpty(Continue(page2)));
        Assert.Equal(listRv, ApiAssert.Rv(page2));

        var page3 = await Api.ReadAsync($"{collection}?limit=10&continue={Uri.EscapeDataString(Continue(page2)!)}");
        Assert.Equal(Enumerable.Range(20, 5).Select(i => $"cm-{i:D2}"), ApiAssert.Names(page3));
        Assert.True(string.IsNullOrEmpty(Continue(page3)), "the last page has no continue token");
        Assert.Null(Remaining(page3));
        Assert.Equal(listRv, ApiAssert.Rv(page3));

        var all = ApiAssert.Names(page1).Concat(ApiAssert.Names(page2)).Concat(ApiAssert.Names(page3)).ToList();
        Assert.Equal(25, all.Distinct().Count());
    }

    [Fact]
    public async Task Middle_page_reports_remaining_item_count()
    {
        // Upstream sets remainingItemCount on every page that has a continue token when no selector is used.
        var (_, collection) = await SeedAsync(25);
        var page1 = await Api.ReadAsync($"{collection}?limit=10");
        var page2 = await Api.ReadAsync($"{collection}?limit=10&continue={Uri.EscapeDataString(Continue(page1)!)}");
        Assert.Equal(5, Remaining(page2));
    }

    [Fact]
    public async Task Continue_token_keeps_the_snapshot_of_the_first_page()
    {
        var (ns, collection) = await SeedAsync(25);
        var page1 = await Api.ReadAsync($"{collection}?limit=10");
        var token = Continue(page1)!;

        // Changes after the first page: one created at the end, one deleted from page 2, one changed on page 3.
        await Api.CreateAsync(collection, Objects.ConfigMap("cm-99"));
        ApiAssert.Code(200, await Api.DeleteAsync($"{collection}/cm-12"));
        ApiAssert.Code(200, await Api.PatchAsync($"{collection}/cm-21", """{"data":{"k":"changed"}}"""));

        var page2 = await Api.ReadAsync($"{collection}?limit=10&continue={Uri.EscapeDataString(token)}");
        Assert.Equal(Enumerable.Range(10, 10).Select(i => $"cm-{i:D2}"), ApiAssert.Names(page2));
        var page3 = await Api.ReadAsync($"{collection}?limit=10&continue={Uri.EscapeDataString(Continue(page2)!)}");
        Assert.Equal(Enumerable.Range(20, 5).Select(i => $"cm-{i:D2}"), ApiAssert.Names(page3));
        var cm21 = page3["items"]!.AsArray().Single(i => (string?)i!["metadata"]!["name"] == "cm-21")!;
        Assert.Equal("v", (string?)cm21["data"]!["k"]);

        // The same token a second time gives the same page again.
        var again = await Api.ReadAsync($"{collection}?limit=10&continue={Uri.EscapeDataString(token)}");
        Assert.Equal(ApiAssert.Names(page2), ApiAssert.Names(again));

        // A fresh list sees the changes.
        var fresh = ApiAssert.Names(await Api.ReadAsync(collection));
        Assert.Contains("cm-99", fresh);
        Assert.DoesNotContain("cm-12", fresh);
    }

    [Fact]
    public async Task Limit_with_a_label_selector_pages_over_matching_objects()
    {
        var ns = await fixture.NewNamespaceAsync();
        var collection = $"/api/v1/namespaces/{ns}/configmaps";
        for (var i = 0; i < 12; i++)
        {
            await Api.CreateAsync(collection, Objects.ConfigMap($"cm-{i:D2}", labels: Objects.Labels(("even", i % 2 == 0 ? "yes" : "no"))));
        }

        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var query = $"{collection}?labelSelector=even%3Dyes&limit=4" + (token is null ? "" : $"&continue={Uri.EscapeDataString(token)}");
            var page = await Api.ReadAsync(query);
            names.AddRange(ApiAssert.Names(page));
            token = Continue(page);
            pages++;
            Assert.True(pages <= 4, "pagination ends");
        }
        while (!string.IsNullOrEmpty(token));

        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"cm-{i * 2:D2}"), names);
    }

    [Fact]
    public async Task Continue_token_of_another_list_or_garbage_is_400()
    {
        var (_, collection) = await SeedAsync(3);
        var page = await Api.ReadAsync($"{collection}?limit=1");
        var other = await fixture.NewNamespaceAsync();
        ApiAssert.Failure(await Api.GetAsync($"/api/v1/namespaces/{other}/configmaps?limit=1&continue={Uri.EscapeDataString(Continue(page)!)}"),
            400, "BadRequest");
        ApiAssert.Failure(await Api.GetAsync($"{collection}?limit=1&continue=not-a-token"), 400, "BadRequest");
    }

    [Fact]
    public async Task ResourceVersion_0_lists_from_the_cache()
    {
        var (_, collection) = await SeedAsync(3);
        var list = await Api.ReadAsync($"{collection}?resourceVersion=0");
        Assert.Equal(["cm-00", "cm-01", "cm-02"], ApiAssert.Names(list));
        Assert.True(ApiAssert.Rv(list) > 0);
    }

    [Fact]
    public async Task ResourceVersionMatch_Exact_lists_the_past()
    {
        var (_, collection) = await SeedAsync(2);
        var before = await Api.ReadAsync(collection);
        var rv = ApiAssert.Rv(before);
        await Api.CreateAsync(collection, Objects.ConfigMap("later"));
        ApiAssert.Code(200, await Api.PatchAsync($"{collection}/cm-00", """{"data":{"k":"new"}}"""));

        var exact = await Api.ReadAsync($"{collection}?resourceVersion={rv}&resourceVersionMatch=Exact");
        Assert.Equal(["cm-00", "cm-01"], ApiAssert.Names(exact));
        Assert.Equal(rv, ApiAssert.Rv(exact));
        Assert.Equal("v", (string?)exact["items"]![0]!["data"]!["k"]);

        // NotOlderThan (the default for a resourceVersion) sees the newest state.
        var notOlder = await Api.ReadAsync($"{collection}?resourceVersion={rv}&resourceVersionMatch=NotOlderThan");
        Assert.Equal(["cm-00", "cm-01", "later"], ApiAssert.Names(notOlder));
        Assert.True(ApiAssert.Rv(notOlder) > rv);
    }

    [Fact]
    public async Task List_with_a_resourceVersion_from_the_future_times_out_with_504()
    {
        var (_, collection) = await SeedAsync(1);
        // Upstream: storage.NewTooLargeResourceVersionError = apierrors.NewTimeoutError ("Timeout: " prefix) with a
        // ResourceVersionTooLarge cause, which client-go's reflector looks for to fall back to a fresh list.
        var response = await Api.GetAsync($"{collection}?resourceVersion=99999999");
        var status = ApiAssert.FailureStartingWith(response, 504, "Timeout", "Timeout: Too large resource version: 99999999, current: ");
        Assert.Equal(1, status["details"]!["retryAfterSeconds"]!.GetValue<int>());
        var cause = status["details"]!["causes"]!.AsArray().Single()!;
        Assert.Equal("ResourceVersionTooLarge", (string?)cause["reason"]);
        Assert.Equal("Too large resource version", (string?)cause["message"]);
    }
}
