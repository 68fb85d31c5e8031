using System.Text.Json.Nodes;
using Korral.ApiServer.Tests.Fixtures;

namespace Korral.ApiServer.Tests.Rest;

/// <summary>
/// Names made from metadata.generateName: a drawn name that is taken is drawn again, up to upstream's 8 attempts in all
/// (RetryGenerateName), dry run included; a name the client chose fails at once.
/// </summary>
public sealed class GenerateNameTests(ScriptedNamesFixture fixture) : IClassFixture<ScriptedNamesFixture>
{
    private const string GaveUp = "already exists, the server was not able to generate a unique name for the object";

    private ApiClient Api => fixture.Api;

    public static TheoryData<bool> DryRun() => new(false, true);

    [Theory]
    [MemberData(nameof(DryRun))]
    public async Task A_taken_generated_name_is_drawn_again(bool dryRun)
    {
        var ns = await fixture.NewNamespaceAsync();
        await Api.CreateAsync(Pods(ns), Objects.Pod("web-aaaaa"));
        fixture.Script("aaaaa", "bbbbb");

        var response = await Api.PostAsync(Pods(ns) + (dryRun ? "?dryRun=All" : ""), GeneratedPod("web-"));

        ApiAssert.Code(201, response);
        Assert.Equal("web-bbbbb", (string?)response.Object["metadata"]!["name"]);
        Assert.Equal("web-", (string?)response.Object["metadata"]!["generateName"]);
        Assert.Equal(0, fixture.Remaining);
        var stored = await Api.GetAsync($"{Pods(ns)}/web-bbbbb");
        ApiAssert.Code(dryRun ? 404 : 200, stored);
    }

    [Theory]
    [MemberData(nameof(DryRun))]
    public async Task Eight_taken_names_in_a_row_give_up_with_AlreadyExists(bool dryRun)
    {
        var ns = await fixture.NewNamespaceAsync();
        await Api.CreateAsync(Pods(ns), Objects.Pod("web-ccccc"));
        fixture.Script([.. Enumerable.Repeat("ccccc", 8), "ddddd"]);

        var response = await Api.PostAsync(Pods(ns) + (dryRun ? "?dryRun=All" : ""), GeneratedPod("web-"));

        var status = ApiAssert.Failure(response, 409, "AlreadyExists", $"pods \"web-ccccc\" {GaveUp}");
        var details = status["details"]!;
        Assert.Equal("web-ccccc", (string?)details["name"]);
        Assert.Equal("pods", (string?)details["kind"]);
        Assert.Equal(1, (int?)details["retryAfterSeconds"]);
        Assert.Equal("1", response.RetryAfter);
        Assert.Equal(1, fixture.Remaining); // eight draws in all, not a ninth
        ApiAssert.Code(404, await Api.GetAsync($"{Pods(ns)}/web-ddddd"));
    }

    [Fact]
    public async Task A_taken_name_the_client_chose_fails_at_once()
    {
        var ns = await fixture.NewNamespaceAsync();
        await Api.CreateAsync(Pods(ns), Objects.Pod("fixed"));
        fixture.Script("eeeee");

        // A name given alongside generateName wins, so nothing is generated and nothing retried.
        var again = Objects.Pod("fixed");
        again["metadata"]!["generateName"] = "web-";
        var response = await Api.PostAsync(Pods(ns), again);

        var status = ApiAssert.Failure(response, 409, "AlreadyExists", "pods \"fixed\" already exists");
        Assert.Null(status["details"]!["retryAfterSeconds"]);
        Assert.Null(response.RetryAfter);
        Assert.Equal(1, fixture.Remaining);
        fixture.Script();
    }

    private static string Pods(string ns) => $"/api/v1/namespaces/{ns}/pods";

    private static JsonObject GeneratedPod(string generateName)
    {
        var pod = Objects.Pod("");
        var meta = pod["metadata"]!.AsObject();
        meta.Remove("name");
        meta["generateName"] = generateName;
        return pod;
    }
}
