using System.Text.Json.Nodes;
using Korral.ApiServer.Tests.Fixtures;

namespace Korral.ApiServer.Tests.Rest;

/// <summary>
/// pods/{name}/eviction (upstream pkg/registry/core/pod/storage/eviction.go): which pods skip the budget check, how a
/// PodDisruptionBudget is consulted and decremented, the exact refusals, and that a refusal changes neither the pod nor
/// the budget. Budget statuses are written here the way the disruption controller would write them.
/// </summary>
public sealed class EvictionTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private const string Violation = "Cannot evict pod as it would violate the pod's disruption budget.";

    private ApiClient Api => fixture.Api;

    private static string PodPath(string ns, string name) => $"/api/v1/namespaces/{ns}/pods/{name}";

    private static string BudgetPath(string ns, string name) => $"/apis/policy/v1/namespaces/{ns}/poddisruptionbudgets/{name}";

    private static JsonObject Eviction(string name, JsonObject? deleteOptions = null, string apiVersion = "policy/v1")
    {
        var eviction = new JsonObject
        {
            ["apiVersion"] = apiVersion,
            ["kind"] = "Eviction",
            ["metadata"] = new JsonObject { ["name"] = name },
        };
        if (deleteOptions is not null)
        {
            eviction["deleteOptions"] = deleteOptions;
        }

        return eviction;
    }

    private Task<ApiResponse> EvictAsync(string ns, string name, JsonObject? deleteOptions = null, string query = "") =>
        Api.PostAsync($"{PodPath(ns, name)}/eviction{query}", Eviction(name, deleteOptions));

    /// <summary>A pod labelled app=web, bound to node-1 and given <paramref name="phase"/> (and a Ready condition) through its status.</summary>
    private async Task<JsonObject> PodAsync(string ns, string name, string phase = "Running", bool ready = true, bool bound = true)
    {
        var created = await Api.CreateAsync($"/api/v1/namespaces/{ns}/pods", Objects.Pod(name, Objects.Labels(("app", "web")), bound ? "node-1" : null));
        if (phase == "Pending")
        {
            return created;
        }

        // What a kubelet reports (the QoS class the server set stays).
        var withStatus = created.DeepClone().AsObject();
        withStatus["status"]!["phase"] = phase;
        withStatus["status"]!["conditions"] = new JsonArray(new JsonObject
        {
            ["type"] = "Ready",
            ["status"] = ready ? "True" : "False",
            ["lastTransitionTime"] = "2026-01-01T00:00:00Z",
        });
        var updated = await Api.PutAsync($"{PodPath(ns, name)}/status", withStatus);
        ApiAssert.Code(200, updated);
        return updated.Object;
    }

    /// <summary>
    /// A budget selecting app=web (minAvailable 2) with the status a disruption controller would write: observed at the
    /// current generation unless <paramref name="stale"/>.
    /// </summary>
    private async Task<JsonObject> BudgetAsync(string ns, string name, int allowed, int current = 3, int desired = 2, bool stale = false,
        JsonObject? selector = null, string? unhealthyPodEvictionPolicy = null, JsonObject? disruptedPods = null)
    {
        var spec = new JsonObject
        {
            ["minAvailable"] = 2,
            ["selector"] = selector ?? new JsonObject { ["matchLabels"] = Objects.Labels(("app", "web")) },
        };
        if (unhealthyPodEvictionPolicy is not null)
        {
            spec["unhealthyPodEvictionPolicy"] = unhealthyPodEvictionPolicy;
        }

        var created = await Api.CreateAsync($"/apis/policy/v1/namespaces/{ns}/poddisruptionbudgets", new JsonObject
        {
            ["apiVersion"] = "policy/v1",
            ["kind"] = "PodDisruptionBudget",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = spec,
        });
        var generation = created["metadata"]!["generation"]!.GetValue<long>();
        var withStatus = created.DeepClone().AsObject();
        withStatus["status"] = new JsonObject
        {
            ["observedGeneration"] = stale ? generation - 1 : generation,
            ["disruptionsAllowed"] = allowed,
            ["currentHealthy"] = current,
            ["desiredHealthy"] = desired,
            ["expectedPods"] = current,
        };
        if (disruptedPods is not null)
        {
            withStatus["status"]!["disruptedPods"] = disruptedPods;
        }

        var updated = await Api.PutAsync($"{BudgetPath(ns, name)}/status", withStatus);
        ApiAssert.Code(200, updated);
        return updated.Object;
    }

    private static void AssertSuccess(ApiResponse response)
    {
        ApiAssert.Code(201, response);
        var status = response.Object;
        Assert.Equal(("Status", "v1", "Success", 201), ((string?)status["kind"], (string?)status["apiVersion"], (string?)status["status"], status["code"]!.GetValue<int>()));
    }

    private static JsonObject? Condition(JsonObject obj, string type) =>
        (obj["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().SingleOrDefault(c => (string?)c["type"] == type);

    [Fact]
    public async Task Eviction_of_a_missing_pod_is_404()
    {
        var ns = await fixture.NewNamespaceAsync("ev");
        ApiAssert.Failure(await EvictAsync(ns, "nope"), 404, "NotFound", "pods \"nope\" not found");
    }

    [Theory]
    [InlineData("Pending", false)]   // bound but not started yet
    [InlineData("Pending", true)]    // not even scheduled
    [InlineData("Succeeded", false)]
    [InlineData("Failed", false)]
    public async Task Pods_that_are_not_running_are_deleted_without_consulting_the_budget(string phase, bool unbound)
    {
        var ns = await fixture.NewNamespaceAsync("ev");
        await PodAsync(ns, "p", phase, ready: false, bound: !unbound);
        var budget = await BudgetAsync(ns, "pdb", allowed: 0);

        AssertSuccess(await EvictAsync(ns, "p"));

        // Unbound and finished pods go at once; a bound one waits for its kubelet (none runs here).
        var after = await Api.GetAsync(PodPath(ns, "p"));
        if (unbound || phase is "Succeeded" or "Failed")
        {
            ApiAssert.Code(404, after);
        }
        else
        {
            ApiAssert.Code(200, after);
            Assert.NotNull(after.Object["metadata"]!["deletionTimestamp"]);
            Assert.Equal("EvictionByEvictionAPI", (string?)Condition(after.Object, "DisruptionTarget")?["reason"]);
        }

        Assert.Equal(ApiAssert.Rv(budget), ApiAssert.Rv(await Api.ReadAsync(BudgetPath(ns, "pdb"))));
    }

    [Fact]
    public async Task A_running_pod_without_a_budget_gets_the_disruption_condition_and_is_deleted_gracefully()
    {
        var ns = await fixture.NewNamespaceAsync("ev");
        await PodAsync(ns, "p");

        AssertSuccess(await EvictAsync(ns, "p"));

        var pod = await Api.ReadAsync(PodPath(ns, "p"));
        Assert.Equal(30, pod["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<long>());
        var condition = Condition(pod, "DisruptionTarget");
        Assert.NotNull(condition);
        Assert.Equal(("True", "EvictionByEvictionAPI", "Eviction API: evicting"),
            ((string?)condition["status"], (string?)condition["reason"], (string?)condition["message"]));
    }

    [Fact]
    public async Task An_allowed_eviction_takes_one_disruption_and_records_the_pod()
    {
        var ns = await fixture.NewNamespaceAsync("ev");
        await PodAsync(ns, "p");
        await PodAsync(ns, "q");
        await BudgetAsync(ns, "pdb", allowed: 2);

        AssertSuccess(await EvictAsync(ns, "p"));
        var status = (await Api.ReadAsync(BudgetPath(ns, "pdb")))["status"]!;
        Assert.Equal(1, status["disruptionsAllowed"]!.GetValue<int>());
        Assert.Equal(["p"], status["disruptedPods"]!.AsObject().Select(p => p.Key));
        Assert.True(DateTimeOffset.UtcNow - DateTimeOffset.Parse((string)status["disruptedPods"]!["p"]!, System.Globalization.CultureInfo.InvariantCulture)
            < TimeSpan.FromMinutes(1));
        Assert.Null(status["conditions"]); // still allowing: the condition is the controller's to write
        Assert.NotNull((await Api.ReadAsync(PodPath(ns, "p")))["metadata"]!["deletionTimestamp"]);

        // The last allowed disruption: the budget says so at once.
        AssertSuccess(await EvictAsync(ns, "q"));
        status = (await Api.ReadAsync(BudgetPath(ns, "pdb")))["status"]!;
        Assert.Equal(0, status["disruptionsAllowed"]!.GetValue<int>());
        Assert.Equal(["p", "q"], status["disruptedPods"]!.AsObject().Select(p => p.Key).Order());
        var condition = status["conditions"]!.AsArray().Single()!;
        Assert.Equal(("DisruptionAllowed", "False", "InsufficientPods", "", 1L),
            ((string?)condition["type"], (string?)condition["status"], (string?)condition["reason"], (string?)condition["message"],
                condition["observedGeneration"]!.GetValue<long>()));
    }

    [Fact]
    public async Task Concurrent_evictions_never_take_more_disruptions_than_allowed()
    {
        // Four evictions race for two disruptions: the budget's status is written with its resourceVersion, so the losers
        // of a race re-read it and are refused once it reaches zero.
        var ns = await fixture.NewNamespaceAsync("ev");
        string[] names = ["p0", "p1", "p2", "p3"];
        foreach (var name in names)
        {
            await PodAsync(ns, name);
        }

        await BudgetAsync(ns, "pdb", allowed: 2, current: 4, desired: 2);

        var responses = await Task.WhenAll(names.Select(n => EvictAsync(ns, n)));

        var evicted = names.Where((_, i) => responses[i].Code == 201).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, evicted.Count);
        Assert.All(responses.Where(r => r.Code != 201), r => ApiAssert.Failure(r, 429, "TooManyRequests", Violation));
        var status = (await Api.ReadAsync(BudgetPath(ns, "pdb")))["status"]!;
        Assert.Equal(0, status["disruptionsAllowed"]!.GetValue<int>());
        Assert.Equal(evicted, status["disruptedPods"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        foreach (var name in names)
        {
            var deleting = (await Api.ReadAsync(PodPath(ns, name)))["metadata"]!["deletionTimestamp"] is not null;
            Assert.Equal(evicted.Contains(name), deleting);
        }
    }

    /// <summary>What each refusal answers; the pod and every budget must be exactly as before.</summary>
    public static TheoryData<string> Refusals => ["no disruptions left", "budget not observed yet", "two budgets", "unready and short", "too many recorded disruptions"];

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_refused_eviction_answers_as_upstream_and_changes_nothing(string refusal)
    {
        var ns = await fixture.NewNamespaceAsync("ev");
        var pod = await PodAsync(ns, "p", ready: refusal != "unready and short");
        var budgets = new List<JsonObject>();
        switch (refusal)
        {
            case "no disruptions left":
                budgets.Add(await BudgetAsync(ns, "pdb", allowed: 0, current: 2, desired: 2));
                break;
            case "budget not observed yet":
                budgets.Add(await BudgetAsync(ns, "pdb", allowed: 1, stale: true));
                break;
            case "two budgets":
                budgets.Add(await BudgetAsync(ns, "pdb-a", allowed: 1));
                budgets.Add(await BudgetAsync(ns, "pdb-b", allowed: 1));
                break;
            case "unready and short":
                budgets.Add(await BudgetAsync(ns, "pdb", allowed: 0, current: 1, desired: 2));
                break;
            case "too many recorded disruptions":
                var recorded = new JsonObject();
                for (var i = 0; i <= 2000; i++)
                {
                    recorded[$"gone-{i}"] = "2026-01-01T00:00:00Z";
                }

                budgets.Add(await BudgetAsync(ns, "pdb", allowed: 5, disruptedPods: recorded));
                break;
        }

        var response = await EvictAsync(ns, "p");
        switch (refusal)
        {
            case "no disruptions left":
                AssertViolation(response, "The disruption budget pdb needs 2 healthy pods and has 2 currently", retryAfter: null);
                break;
            case "budget not observed yet":
                AssertViolation(response, "The disruption budget pdb is still being processed by the server.", retryAfter: 10);
                break;
            case "two budgets":
                ApiAssert.Code(500, response);
                Assert.Equal(new JsonObject
                {
                    ["kind"] = "Status",
                    ["apiVersion"] = "v1",
                    ["metadata"] = new JsonObject(),
                    ["status"] = "Failure",
                    ["message"] = "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
                    ["code"] = 500,
                }.ToJsonString(), response.Object.ToJsonString());
                break;
            case "unready and short":
                AssertViolation(response, "The disruption budget pdb needs 2 healthy pods and has 1 currently", retryAfter: null);
                break;
            case "too many recorded disruptions":
                // The controller has not caught up with 2,001 evictions: refused until it has.
                var forbidden = ApiAssert.Failure(response, 403, "Forbidden",
                    "poddisruptionbudget.policy \"pdb\" is forbidden: DisruptedPods map too big - too many evictions not confirmed by PDB controller");
                Assert.Equal("""{"name":"pdb","group":"policy","kind":"poddisruptionbudget"}""", forbidden["details"]!.ToJsonString());
                break;
        }

        Assert.Equal(ApiAssert.Rv(pod), ApiAssert.Rv(await Api.ReadAsync(PodPath(ns, "p"))));
        foreach (var budget in budgets)
        {
            Assert.Equal(budget.ToJsonString(), (await Api.ReadAsync(BudgetPath(ns, (string)budget["metadata"]!["name"]!))).ToJsonString());
        }
    }

    private static void AssertViolation(ApiResponse response, string cause, int? retryAfter)
    {
        var status = ApiAssert.Failure(response, 429, "TooManyRequests", Violation);
        var details = new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["reason"] = "DisruptionBudget", ["message"] = cause }) };
        if (retryAfter is { } seconds)
        {
            details["retryAfterSeconds"] = seconds;
        }

        Assert.Equal(details.ToJsonString(), status["details"]!.ToJsonString());
        Assert.Equal(retryAfter?.ToString(System.Globalization.CultureInfo.InvariantCulture), response.RetryAfter);
    }

    [Theory]
    [InlineData(null, 3, 2)]              // default policy: the budget is met, the unready pod does not count
    [InlineData("AlwaysAllow", 1, 2)]      // the budget is short, but unhealthy pods may always go
    [InlineData("IfHealthyBudget", 2, 2)]
    public async Task An_unready_pod_goes_without_taking_a_disruption_when_it_does_not_count(string? policy, int current, int desired)
    {
        var ns = await fixture.NewNamespaceAsync("ev");
        await PodAsync(ns, "p", ready: false);
        var budget = await BudgetAsync(ns, "pdb", allowed: 0, current: current, desired: desired, unhealthyPodEvictionPolicy: policy);

        AssertSuccess(await EvictAsync(ns, "p"));

        Assert.NotNull((await Api.ReadAsync(PodPath(ns, "p")))["metadata"]!["deletionTimestamp"]);
        Assert.Equal(budget.ToJsonString(), (await Api.ReadAsync(BudgetPath(ns, "pdb"))).ToJsonString());
    }

    [Fact]
    public async Task Budgets_with_an_empty_selector_or_of_other_pods_are_not_consulted()
    {
        var ns = await fixture.NewNamespaceAsync("ev");
        await PodAsync(ns, "p");
        var everything = await BudgetAsync(ns, "everything", allowed: 0, selector: new JsonObject());
        var others = await BudgetAsync(ns, "others", allowed: 0, selector: new JsonObject { ["matchLabels"] = Objects.Labels(("app", "db")) });

        AssertSuccess(await EvictAsync(ns, "p"));

        Assert.Equal(ApiAssert.Rv(everything), ApiAssert.Rv(await Api.ReadAsync(BudgetPath(ns, "everything"))));
        Assert.Equal(ApiAssert.Rv(others), ApiAssert.Rv(await Api.ReadAsync(BudgetPath(ns, "others"))));
    }

    [Fact]
    public async Task Delete_options_are_honoured_grace_period_and_preconditions()
    {
        var ns = await fixture.NewNamespaceAsync("ev");

        // gracePeriodSeconds 0: a bound pod goes at once.
        await PodAsync(ns, "now");
        AssertSuccess(await EvictAsync(ns, "now", new JsonObject { ["gracePeriodSeconds"] = 0 }));
        ApiAssert.Code(404, await Api.GetAsync(PodPath(ns, "now")));

        // A longer grace period is the one recorded.
        await PodAsync(ns, "slow");
        AssertSuccess(await EvictAsync(ns, "slow", new JsonObject { ["gracePeriodSeconds"] = 90 }));
        Assert.Equal(90, (await Api.ReadAsync(PodPath(ns, "slow")))["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<long>());

        // A UID precondition that does not hold: 409, and the pod is untouched.
        var pod = await PodAsync(ns, "uid");
        ApiAssert.Failure(await EvictAsync(ns, "uid", new JsonObject { ["preconditions"] = new JsonObject { ["uid"] = "not-the-uid" } }), 409, "Conflict",
            $"Operation cannot be fulfilled on Pod \"uid\": the UID in the precondition (not-the-uid) does not match the UID in record ({(string?)pod["metadata"]!["uid"]}). The object might have been deleted and then recreated");
        Assert.Equal(ApiAssert.Rv(pod), ApiAssert.Rv(await Api.ReadAsync(PodPath(ns, "uid"))));

        // A stale resourceVersion precondition: 409, not retried.
        var rv = (string)pod["metadata"]!["resourceVersion"]!;
        await Api.PatchAsync(PodPath(ns, "uid"), """{"metadata":{"labels":{"touched":"yes"}}}""");
        var touched = await Api.ReadAsync(PodPath(ns, "uid"));
        ApiAssert.Failure(await EvictAsync(ns, "uid", new JsonObject { ["preconditions"] = new JsonObject { ["resourceVersion"] = rv } }), 409, "Conflict",
            $"Operation cannot be fulfilled on Pod \"uid\": the ResourceVersion in the precondition ({rv}) does not match the ResourceVersion in record ({(string?)touched["metadata"]!["resourceVersion"]}). The object might have been modified");
        Assert.Equal(ApiAssert.Rv(touched), ApiAssert.Rv(await Api.ReadAsync(PodPath(ns, "uid"))));

        // Matching preconditions: evicted.
        AssertSuccess(await EvictAsync(ns, "uid", new JsonObject
        {
            ["preconditions"] = new JsonObject { ["uid"] = (string?)touched["metadata"]!["uid"], ["resourceVersion"] = (string?)touched["metadata"]!["resourceVersion"] },
        }));
        Assert.NotNull((await Api.ReadAsync(PodPath(ns, "uid")))["metadata"]!["deletionTimestamp"]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_dry_run_checks_everything_and_writes_nothing(bool inQuery)
    {
        var ns = await fixture.NewNamespaceAsync("ev");
        var pod = await PodAsync(ns, "p");
        var budget = await BudgetAsync(ns, "pdb", allowed: 1);

        var response = inQuery
            ? await EvictAsync(ns, "p", query: "?dryRun=All")
            : await EvictAsync(ns, "p", new JsonObject { ["dryRun"] = new JsonArray("All") });
        AssertSuccess(response);

        Assert.Equal(pod.ToJsonString(), (await Api.ReadAsync(PodPath(ns, "p"))).ToJsonString());
        Assert.Equal(budget.ToJsonString(), (await Api.ReadAsync(BudgetPath(ns, "pdb"))).ToJsonString());
    }

    [Fact]
    public async Task The_body_must_be_an_eviction_of_the_named_pod_in_policy_v1_or_v1beta1()
    {
        var ns = await fixture.NewNamespaceAsync("ev");
        await PodAsync(ns, "p");
        await PodAsync(ns, "old");

        ApiAssert.Failure(await Api.PostAsync($"{PodPath(ns, "p")}/eviction", Eviction("other")), 400, "BadRequest",
            "name in URL does not match name in Eviction object");
        var elsewhere = Eviction("p");
        elsewhere["metadata"]!["namespace"] = "elsewhere";
        ApiAssert.Failure(await Api.PostAsync($"{PodPath(ns, "p")}/eviction", elsewhere), 400, "BadRequest",
            "the namespace of the provided object does not match the namespace sent on the request");
        Assert.Null((await Api.ReadAsync(PodPath(ns, "p")))["metadata"]!["deletionTimestamp"]);

        AssertSuccess(await Api.PostAsync($"{PodPath(ns, "old")}/eviction", Eviction("old", apiVersion: "policy/v1beta1")));
        Assert.NotNull((await Api.ReadAsync(PodPath(ns, "old")))["metadata"]!["deletionTimestamp"]);
    }

    [Fact]
    public async Task Evicting_a_pod_already_being_deleted_skips_the_budget()
    {
        var ns = await fixture.NewNamespaceAsync("ev");
        await PodAsync(ns, "p");
        var deleting = await Api.DeleteAsync(PodPath(ns, "p"));
        ApiAssert.Code(200, deleting);
        Assert.Equal(30, deleting.Object["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<long>());
        var budget = await BudgetAsync(ns, "pdb", allowed: 0);

        // A shorter grace period still shortens the deletion in progress.
        AssertSuccess(await EvictAsync(ns, "p", new JsonObject { ["gracePeriodSeconds"] = 0 }));
        ApiAssert.Code(404, await Api.GetAsync(PodPath(ns, "p")));
        Assert.Equal(ApiAssert.Rv(budget), ApiAssert.Rv(await Api.ReadAsync(BudgetPath(ns, "pdb"))));
    }
}
