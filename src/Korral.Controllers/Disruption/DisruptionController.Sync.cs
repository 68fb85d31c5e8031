using System.Globalization;
using System.Text;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Api.Models.PolicyV1;
using Korral.Client;
using Korral.Client.Events;
using Korral.Controllers.Common;

namespace Korral.Controllers.Disruption;

/// <summary>The sync of one budget: compute its status from the caches and write it when it changed.</summary>
public sealed partial class DisruptionController
{
    public async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var budget = _budgets.Get(key);
        if (budget?.Metadata is null)
        {
            return;
        }

        try
        {
            await TrySyncAsync(key, budget, cancellationToken);
        }
        catch (KubeApiException e) when (e.IsConflict)
        {
            // Someone (an eviction) wrote first: retried with backoff, the informer brings the newer budget.
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Fail safe: a budget whose status cannot be computed allows no disruption.
            _log($"disruption: failed to sync PodDisruptionBudget {key}: {e.Message}");
            await FailSafeAsync(budget, e.Message, cancellationToken);
        }
    }

    private async Task TrySyncAsync(string key, PodDisruptionBudget budget, CancellationToken cancellationToken)
    {
        List<Pod> pods;
        try
        {
            pods = PodsFor(budget);
        }
        catch (InvalidOperationException e)
        {
            _events.Event(budget, EventTypes.Warning, "NoPods", $"Failed to get pods: {e.Message}");
            throw;
        }

        if (pods.Count == 0)
        {
            _events.Event(budget, EventTypes.Normal, "NoPods", "No matching pods found");
        }

        int expected, desired;
        List<string> unmanaged;
        try
        {
            (expected, desired, unmanaged) = ExpectedPodCount(budget, pods);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            _events.Event(budget, EventTypes.Warning, "CalculateExpectedPodCountFailed", $"Failed to calculate the number of expected pods: {e.Message}");
            throw;
        }

        if (unmanaged.Count > 0)
        {
            // Counted as they are rather than failing the budget, which would only make this controller write in a loop.
            _log($"disruption: PodDisruptionBudget {key} selects pods without a controller: {string.Join(", ", unmanaged)}");
            _events.Event(budget, EventTypes.Warning, "UnmanagedPods",
                $"Pods selected by this PodDisruptionBudget (selector: {GoSelector(budget.Spec?.Selector)}) were found to be unmanaged. " +
                "As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. " +
                "To account for these pods please set \".spec.minAvailable\" field of the PDB to an integer value.");
        }

        var now = _time.GetUtcNow();
        var (disrupted, recheck) = BuildDisruptedPods(pods, budget, now);
        var healthy = CountHealthy(pods, disrupted, now);
        await UpdateStatusAsync(budget, healthy, desired, expected, disrupted, now, cancellationToken);
        if (recheck is { } at)
        {
            // An evicted pod not yet marked for deletion: look again when its entry expires.
            Queue.AddAfter(key, at - now);
        }
    }

    /// <summary>
    /// The disruptedPods entries to keep: those of selected pods not yet being deleted whose deletion is not overdue,
    /// and the earliest time one of them becomes overdue.
    /// </summary>
    internal (Dictionary<string, DateTimeOffset> Disrupted, DateTimeOffset? Recheck) BuildDisruptedPods(List<Pod> pods, PodDisruptionBudget budget,
        DateTimeOffset now)
    {
        var result = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        DateTimeOffset? recheck = null;
        var recorded = budget.Status?.DisruptedPods;
        if (recorded is null)
        {
            return (result, recheck);
        }

        foreach (var pod in pods)
        {
            if (pod.Metadata?.DeletionTimestamp is not null || pod.Metadata?.Name is not { } name || !recorded.TryGetValue(name, out var disruptedAt))
            {
                continue;
            }

            var expectedDeletion = disruptedAt + DeletionTimeout;
            if (expectedDeletion < now)
            {
                _log($"disruption: pod {pod.Metadata.Namespace}/{name} was expected to be deleted but it wasn't, updating PDB {KubeObject.Key(budget)}");

                // Upstream's message names the budget's namespace twice; kept as it is, since clients may match on it.
                _events.Event(pod, EventTypes.Warning, "NotDeleted",
                    $"Pod was expected by PDB {budget.Metadata?.Namespace}/{budget.Metadata?.Namespace} to be deleted but it wasn't");
                continue;
            }

            if (recheck is null || expectedDeletion < recheck)
            {
                recheck = expectedDeletion;
            }

            result[name] = disruptedAt;
        }

        return (result, recheck);
    }

    /// <summary>Ready pods that are neither being deleted nor recently evicted.</summary>
    internal static int CountHealthy(List<Pod> pods, Dictionary<string, DateTimeOffset> disrupted, DateTimeOffset now)
    {
        var healthy = 0;
        foreach (var pod in pods)
        {
            if (pod.Metadata?.DeletionTimestamp is not null)
            {
                continue;
            }

            if (pod.Metadata?.Name is { } name && disrupted.TryGetValue(name, out var at) && at + DeletionTimeout > now)
            {
                continue;
            }

            if (PodUtil.IsReady(pod))
            {
                healthy++;
            }
        }

        return healthy;
    }

    private async Task UpdateStatusAsync(PodDisruptionBudget budget, int healthy, int desired, int expected, Dictionary<string, DateTimeOffset> disrupted,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        // No disruptions while no pods are expected: a budget that matches nothing yet must be safe when its first pods
        // appear before this controller has seen them.
        var allowed = expected <= 0 || healthy - desired <= 0 ? 0 : healthy - desired;
        var status = budget.Status;
        var generation = budget.Metadata?.Generation ?? 0;
        if (status is not null && (status.CurrentHealthy ?? 0) == healthy && (status.DesiredHealthy ?? 0) == desired &&
            (status.ExpectedPods ?? 0) == expected && (status.DisruptionsAllowed ?? 0) == allowed && SameDisruptedPods(status.DisruptedPods, disrupted) &&
            (status.ObservedGeneration ?? 0) == generation && BudgetConditions.UpToDate(budget))
        {
            return;
        }

        var updated = KubeObject.Clone(budget);
        updated.Status = new PodDisruptionBudgetStatus
        {
            CurrentHealthy = healthy,
            DesiredHealthy = desired,
            ExpectedPods = expected,
            DisruptionsAllowed = allowed,
            DisruptedPods = disrupted.Count == 0 ? null : disrupted,
            ObservedGeneration = generation,
            Conditions = updated.Status?.Conditions,
        };
        BudgetConditions.UpdateDisruptionAllowed(updated.Status, now);
        await _writer.UpdateBudgetStatusAsync(updated, cancellationToken);
    }

    /// <summary>Writes disruptionsAllowed 0 and DisruptionAllowed False/SyncFailed with the error, so evictions stop.</summary>
    private async Task FailSafeAsync(PodDisruptionBudget budget, string error, CancellationToken cancellationToken)
    {
        var updated = KubeObject.Clone(budget);
        var status = updated.Status ??= new PodDisruptionBudgetStatus();
        status.DisruptionsAllowed = 0;
        BudgetConditions.Set(status, new Condition
        {
            Type = BudgetConditions.DisruptionAllowed,
            Status = "False",
            Reason = BudgetConditions.SyncFailed,
            Message = error,
            ObservedGeneration = status.ObservedGeneration ?? 0,
        }, _time.GetUtcNow());
        await _writer.UpdateBudgetStatusAsync(updated, cancellationToken);
    }

    private static bool SameDisruptedPods(IDictionary<string, DateTimeOffset>? a, Dictionary<string, DateTimeOffset> b) =>
        (a?.Count ?? 0) == b.Count && (a is null || a.All(kv => b.TryGetValue(kv.Key, out var t) && t == kv.Value));

    /// <summary>A label selector as Go's %v prints it in upstream's event messages.</summary>
    private static string GoSelector(LabelSelector? selector)
    {
        if (selector is null)
        {
            return "nil";
        }

        var text = new StringBuilder("&LabelSelector{MatchLabels:map[string]string{");
        foreach (var (k, v) in (selector.MatchLabels ?? new Dictionary<string, string>()).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"{k}: {v},");
        }

        text.Append("},MatchExpressions:[]LabelSelectorRequirement{");
        foreach (var e in selector.MatchExpressions ?? [])
        {
            text.Append(CultureInfo.InvariantCulture, $"LabelSelectorRequirement{{Key:{e.Key},Operator:{e.Operator},Values:[{string.Join(' ', e.Values ?? [])}],}},");
        }

        return text.Append("},}").ToString();
    }
}
