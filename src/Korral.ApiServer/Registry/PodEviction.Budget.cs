using System.Text.Json.Nodes;
using Korral.Api.Resources;
using Korral.ApiServer.Errors;
using Korral.ApiServer.WatchCache;
using Selector = Korral.Api.Selectors.LabelSelector;

namespace Korral.ApiServer.Registry;

/// <summary>The PodDisruptionBudget side of an eviction: which budget guards the pod, and taking one disruption from it.</summary>
public sealed partial class PodEviction
{
    /// <summary>
    /// More recorded disruptions than this means the disruption controller has not caught up with evictions: upstream
    /// refuses further evictions until it has.
    /// </summary>
    public const int MaxDisruptedPodSize = 2000;

    public const string MultipleBudgetsMessage = "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.";

    public const string ViolationMessage = "Cannot evict pod as it would violate the pod's disruption budget.";

    /// <summary>The cause type upstream attaches to budget refusals (policyv1.DisruptionBudgetCause).</summary>
    public const string DisruptionBudgetCause = "DisruptionBudget";

    private ResourceInfo Budgets =>
        store.Catalog.Find("policy", "v1", "poddisruptionbudgets") ?? throw ApiErrors.Internal("poddisruptionbudgets are not served");

    /// <summary>
    /// Takes a disruption from the budget selecting <paramref name="pod"/>, if any. Returns the budget's name and whether the
    /// pod may only be deleted at the version read: an unready pod passes without taking a disruption when it does not
    /// count as healthy anyway, which holds only as long as it stays unready.
    /// </summary>
    private async Task<(string? Budget, bool DeleteOnlyThisVersion)> CheckBudgetAsync(JsonObject pod, WriteContext context,
        CancellationToken cancellationToken)
    {
        var budgets = await BudgetsSelectingAsync(pod, cancellationToken);
        if (budgets.Count > 1)
        {
            // Upstream returns this as the handler's result Status rather than an error: a 500 with no reason.
            throw new ApiException(500, "", MultipleBudgetsMessage);
        }

        if (budgets.Count == 0)
        {
            return (null, false);
        }

        var budget = budgets[0];
        var name = Meta.Name(budget);
        if (!IsReady(pod))
        {
            var status = budget["status"] as JsonObject;
            if (Str(budget["spec"], "unhealthyPodEvictionPolicy") == "AlwaysAllow")
            {
                return (name, true);
            }

            var desired = Int(status, "desiredHealthy");
            if (Int(status, "currentHealthy") >= desired && desired > 0)
            {
                // The application is not disrupted now, and this pod does not count towards it.
                return (name, true);
            }
        }

        var ns = Meta.Namespace(pod);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await CheckAndDecrementAsync(ns, Meta.Name(pod), budget, context, cancellationToken);
                return (name, false);
            }
            catch (ApiException e) when (e.Code == 409 && attempt < MaxAttempts)
            {
                budget = (await store.ReadAsync(Budgets, ns, name, cancellationToken))?.Object ?? throw ApiErrors.NotFound(Budgets, name);
            }
        }
    }

    /// <summary>
    /// The budgets of the pod's namespace whose selector matches its labels. An empty or missing selector matches
    /// nothing here (upstream's eviction handler guards against a budget that would cover every pod by accident), and a
    /// selector that does not parse matches nothing either.
    /// </summary>
    private async Task<List<JsonObject>> BudgetsSelectingAsync(JsonObject pod, CancellationToken cancellationToken)
    {
        await store.Caches.WaitUntilFreshAsync(cancellationToken);
        var labels = Meta.Of(pod)["labels"] as JsonObject;
        var (items, _) = store.CacheFor(Budgets).List(new WatchFilter(Meta.Namespace(pod), null));
        var result = new List<JsonObject>();
        foreach (var item in items)
        {
            var budget = (JsonObject)JsonNode.Parse(item.Json.Span)!;
            if (!Selector.TryFromLabelSelector(budget["spec"]?["selector"], out var selector, out _) || selector.Empty || !selector.Matches(labels))
            {
                continue;
            }

            result.Add(budget);
        }

        return result;
    }

    /// <summary>
    /// Refuses the eviction when the budget allows no disruption now, else writes the budget's status with one disruption
    /// fewer and the pod in disruptedPods (a 409 when the budget changed since <paramref name="budget"/> was read).
    /// </summary>
    private async Task CheckAndDecrementAsync(string ns, string podName, JsonObject budget, WriteContext context, CancellationToken cancellationToken)
    {
        var name = Meta.Name(budget);
        var status = budget["status"] as JsonObject ?? new JsonObject();
        budget["status"] = status;
        if (Long(status, "observedGeneration") < (Meta.Of(budget)["generation"]?.GetValue<long>() ?? 0))
        {
            throw BudgetBeingProcessed(name);
        }

        var allowed = Int(status, "disruptionsAllowed");
        if (allowed < 0)
        {
            throw BudgetForbidden(name, "pdb disruptions allowed is negative");
        }

        var disrupted = status["disruptedPods"] as JsonObject ?? new JsonObject();
        if (disrupted.Count > MaxDisruptedPodSize)
        {
            throw BudgetForbidden(name, "DisruptedPods map too big - too many evictions not confirmed by PDB controller");
        }

        if (allowed == 0)
        {
            throw new ApiException(429, "TooManyRequests", ViolationMessage, causes:
            [
                new StatusCause(DisruptionBudgetCause,
                    $"The disruption budget {name} needs {Int(status, "desiredHealthy")} healthy pods and has {Int(status, "currentHealthy")} currently", null),
            ]);
        }

        status["disruptionsAllowed"] = allowed - 1;
        if (allowed - 1 == 0)
        {
            SetDisruptionAllowedCondition(status, context.Now);
        }

        if (context.DryRun)
        {
            return;
        }

        // The disruption controller must not count the pod as healthy while its deletion is on the way; it drops the entry
        // once the pod is being deleted, or after two minutes if the deletion never came.
        disrupted[podName] = Meta.Timestamp(context.Now);
        status["disruptedPods"] = disrupted;
        var system = new WriteContext(context.Now, false, null, "system:apiserver") { UserAgent = "kube-apiserver" };
        await store.UpdateAsync(Budgets, ns, name, budget, "status", system, FieldValidation.Ignore, [], cancellationToken);
    }

    /// <summary>The DisruptionAllowed condition for a budget left with no disruptions, as upstream's SetStatusCondition writes it.</summary>
    private static void SetDisruptionAllowedCondition(JsonObject status, DateTimeOffset now)
    {
        var conditions = status["conditions"] as JsonArray ?? new JsonArray();
        status["conditions"] = conditions;
        var observed = Long(status, "observedGeneration");
        var existing = conditions.OfType<JsonObject>().FirstOrDefault(c => Str(c, "type") == "DisruptionAllowed");
        if (existing is null)
        {
            conditions.Add(new JsonObject
            {
                ["type"] = "DisruptionAllowed",
                ["status"] = "False",
                ["observedGeneration"] = observed,
                ["lastTransitionTime"] = Meta.Timestamp(now),
                ["reason"] = "InsufficientPods",
                ["message"] = "",
            });
            return;
        }

        if (Str(existing, "status") != "False")
        {
            existing["status"] = "False";
            existing["lastTransitionTime"] = Meta.Timestamp(now);
        }

        existing["reason"] = "InsufficientPods";
        existing["message"] = "";
        existing["observedGeneration"] = observed;
    }

    private static ApiException BudgetBeingProcessed(string name) =>
        new(429, "TooManyRequests", ViolationMessage,
            causes: [new StatusCause(DisruptionBudgetCause, $"The disruption budget {name} is still being processed by the server.", null)],
            retryAfterSeconds: 10);

    private static ApiException BudgetForbidden(string name, string detail) =>
        new(403, "Forbidden", $"poddisruptionbudget.policy \"{name}\" is forbidden: {detail}", name, "policy", "poddisruptionbudget");

    private static string Str(JsonNode? obj, string field) => obj is JsonObject o ? Meta.Str(o, field) : "";

    private static int Int(JsonObject? obj, string field) => obj?[field] is JsonValue v && v.TryGetValue<int>(out var i) ? i : 0;

    private static long Long(JsonObject? obj, string field) => obj?[field] is JsonValue v && v.TryGetValue<long>(out var l) ? l : 0;
}
