using System.Globalization;
using System.Text.Json.Nodes;
using Korral.Api.Resources;
using Korral.ApiServer.Errors;

namespace Korral.ApiServer.Registry;

/// <summary>
/// The pods/{name}/eviction subresource (upstream's EvictionREST in pkg/registry/core/pod/storage/eviction.go): deletes a
/// pod unless that would take the PodDisruptionBudget selecting it below what it allows. A pod that is not running yet
/// (Pending), has finished (Succeeded, Failed) or is already being deleted is deleted without looking at budgets. Otherwise
/// the one budget selecting the pod must allow a disruption: it is decremented and the pod recorded in
/// status.disruptedPods (so the disruption controller does not count it as healthy meanwhile) before the pod is deleted.
/// Refusals change nothing. Every deletion first marks the pod with the DisruptionTarget condition.
/// </summary>
public sealed partial class PodEviction(ResourceStore store)
{
    /// <summary>
    /// Upstream's retry budget (EvictionsRetry: 20 steps) for conflicts on the pod or the budget. Retries re-read at once:
    /// a conflict means someone else wrote first, and the next read sees what they wrote.
    /// </summary>
    public const int MaxAttempts = 20;

    private ResourceInfo Pods => store.Catalog.Find("", "v1", "pods") ?? throw ApiErrors.Internal("pods are not served");

    /// <summary>
    /// Evicts pod <paramref name="name"/>: returns when it has been deleted (or marked for graceful deletion), throws an
    /// <see cref="ApiException"/> for a refusal: 404 for a missing pod, 429 when a budget allows no disruption now, 500 when
    /// several budgets select the pod, 409 when a precondition fails.
    /// </summary>
    public async Task EvictAsync(string ns, string name, DeleteOptions options, WriteContext context, CancellationToken cancellationToken)
    {
        var pods = Pods;
        var retryConflicts = options.PreconditionResourceVersion is null;
        StoredObject pod;
        for (var attempt = 1; ; attempt++)
        {
            pod = await store.ReadAsync(pods, ns, name, cancellationToken) ?? throw ApiErrors.NotFound(pods, name);
            if (!CanIgnoreBudget(pod.Object))
            {
                break;
            }

            var deleteOptions = options;
            if (ShouldEnforceResourceVersion(pod.Object) && options.PreconditionResourceVersion is null)
            {
                // Not racing another budget-aware process: the delete applies to the pod as it was just read.
                deleteOptions = options with { PreconditionResourceVersion = Version(pod) };
            }

            try
            {
                await AddConditionAndDeleteAsync(pods, ns, name, deleteOptions, context, cancellationToken);
                return;
            }
            catch (ApiException e) when (e.Code == 409 && retryConflicts && attempt < MaxAttempts)
            {
                // The pod changed between the read and the delete: look again.
            }
        }

        var (budgetName, deleteOnlyThisVersion) = await CheckBudgetAsync(pod.Object, context, cancellationToken);
        var judged = deleteOnlyThisVersion ? options with { PreconditionResourceVersion = Version(pod) } : options;
        try
        {
            await AddConditionAndDeleteAsync(pods, ns, name, judged, context, cancellationToken);
        }
        catch (ApiException e) when (e.Code == 409 && deleteOnlyThisVersion && options.PreconditionResourceVersion is null)
        {
            // The unready pod changed (it may have become ready) since the budget was judged: the client tries again.
            throw BudgetBeingProcessed(budgetName!);
        }
    }

    /// <summary>Phases and states in which a pod's deletion disrupts nothing a budget protects.</summary>
    internal static bool CanIgnoreBudget(JsonObject pod) =>
        Phase(pod) is "Succeeded" or "Failed" or "Pending" || Meta.IsDeleting(pod);

    /// <summary>Terminal or deleting pods are deleted whatever version they are at; others only at the version judged.</summary>
    private static bool ShouldEnforceResourceVersion(JsonObject pod) =>
        Phase(pod) is not ("Succeeded" or "Failed") && !Meta.IsDeleting(pod);

    private static string Phase(JsonObject pod) => pod["status"] is JsonObject status ? Meta.Str(status, "phase") : "";

    internal static bool IsReady(JsonObject pod) =>
        pod["status"]?["conditions"] is JsonArray conditions &&
        conditions.OfType<JsonObject>().Any(c => Meta.Str(c, "type") == "Ready" && Meta.Str(c, "status") == "True");

    private static string Version(StoredObject obj) => obj.ModRevision.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Marks the pod with DisruptionTarget (reason EvictionByEvictionAPI) through its status, honouring the preconditions
    /// against the latest pod, then deletes it with <paramref name="options"/>. A dry run only runs the delete's checks.
    /// </summary>
    private async Task AddConditionAndDeleteAsync(ResourceInfo pods, string ns, string name, DeleteOptions options, WriteContext context,
        CancellationToken cancellationToken)
    {
        if (!context.DryRun)
        {
            var updated = await store.GuaranteedUpdateAsync(pods, ns, name, "status", latest =>
            {
                var meta = Meta.Of(latest);
                if (options.PreconditionUid is { Length: > 0 } uid && uid != Meta.Str(meta, "uid"))
                {
                    throw PodConflict(name,
                        $"the UID in the precondition ({uid}) does not match the UID in record ({Meta.Str(meta, "uid")}). The object might have been deleted and then recreated");
                }

                if (options.PreconditionResourceVersion is { Length: > 0 } rv && rv != Meta.Str(meta, "resourceVersion"))
                {
                    throw PodConflict(name,
                        $"the ResourceVersion in the precondition ({rv}) does not match the ResourceVersion in record ({Meta.Str(meta, "resourceVersion")}). The object might have been modified");
                }

                SetDisruptionTarget(latest, context.Now);
                return latest;
            }, context, cancellationToken);

            if (options.PreconditionResourceVersion is not null)
            {
                // The condition was this request's own write: the delete applies to the pod as it now is.
                options = options with { PreconditionResourceVersion = Meta.Str(Meta.Of(updated), "resourceVersion") };
            }
        }

        await store.DeleteAsync(pods, ns, name, options, context, cancellationToken);
    }

    /// <summary>Sets the DisruptionTarget condition as upstream's UpdatePodCondition does (transition time kept when unchanged).</summary>
    private static void SetDisruptionTarget(JsonObject pod, DateTimeOffset now)
    {
        var status = pod["status"] as JsonObject ?? new JsonObject();
        pod["status"] = status;
        var conditions = status["conditions"] as JsonArray ?? new JsonArray();
        status["conditions"] = conditions;
        var existing = conditions.OfType<JsonObject>().FirstOrDefault(c => Meta.Str(c, "type") == "DisruptionTarget");
        var transition = existing is not null && Meta.Str(existing, "status") == "True" && existing["lastTransitionTime"] is { } t
            ? t.DeepClone()
            : JsonValue.Create(Meta.Timestamp(now));
        var condition = new JsonObject
        {
            ["type"] = "DisruptionTarget",
            ["status"] = "True",
            ["lastProbeTime"] = null,
            ["lastTransitionTime"] = transition,
            ["reason"] = "EvictionByEvictionAPI",
            ["message"] = "Eviction API: evicting",
        };
        if (existing is null)
        {
            conditions.Add(condition);
        }
        else
        {
            conditions[conditions.IndexOf(existing)] = condition;
        }
    }

    private static ApiException PodConflict(string name, string detail) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on Pod \"{name}\": {detail}", name, "", "Pod");
}
