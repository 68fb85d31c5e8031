using Korral.Api.Models.MetaV1;
using Korral.Api.Models.PolicyV1;

namespace Korral.Controllers.Disruption;

/// <summary>
/// The DisruptionAllowed condition of a PodDisruptionBudget (upstream's component-helpers poddisruptionbudget helpers):
/// True/SufficientPods while disruptions are allowed, False/InsufficientPods when none are, False/SyncFailed when the
/// controller could not compute the status.
/// </summary>
public static class BudgetConditions
{
    public const string DisruptionAllowed = "DisruptionAllowed";
    public const string SufficientPods = "SufficientPods";
    public const string InsufficientPods = "InsufficientPods";
    public const string SyncFailed = "SyncFailed";

    /// <summary>Sets DisruptionAllowed from status.disruptionsAllowed, at the status's observedGeneration.</summary>
    public static void UpdateDisruptionAllowed(PodDisruptionBudgetStatus status, DateTimeOffset now)
    {
        var allowed = (status.DisruptionsAllowed ?? 0) > 0;
        Set(status, new Condition
        {
            Type = DisruptionAllowed,
            Status = allowed ? "True" : "False",
            Reason = allowed ? SufficientPods : InsufficientPods,
            Message = "",
            ObservedGeneration = status.ObservedGeneration ?? 0,
        }, now);
    }

    /// <summary>Whether the condition says what disruptionsAllowed says, and the status is of the current generation.</summary>
    public static bool UpToDate(PodDisruptionBudget budget)
    {
        var status = budget.Status;
        var condition = status?.Conditions?.FirstOrDefault(c => c.Type == DisruptionAllowed);
        if (condition is null || (status!.ObservedGeneration ?? 0) != (budget.Metadata?.Generation ?? 0))
        {
            return false;
        }

        return (status.DisruptionsAllowed ?? 0) > 0
            ? condition is { Status: "True", Reason: SufficientPods }
            : condition is { Status: "False", Reason: InsufficientPods };
    }

    /// <summary>
    /// apimachinery's SetStatusCondition: adds the condition or updates the one of its type, moving lastTransitionTime only
    /// when the status changes.
    /// </summary>
    public static void Set(PodDisruptionBudgetStatus status, Condition condition, DateTimeOffset now)
    {
        var conditions = status.Conditions ??= [];
        var existing = conditions.FirstOrDefault(c => c.Type == condition.Type);
        if (existing is null)
        {
            condition.LastTransitionTime ??= now;
            conditions.Add(condition);
            return;
        }

        if (existing.Status != condition.Status)
        {
            existing.Status = condition.Status;
            existing.LastTransitionTime = condition.LastTransitionTime ?? now;
        }

        existing.Reason = condition.Reason;
        existing.Message = condition.Message;
        existing.ObservedGeneration = condition.ObservedGeneration;
    }
}
