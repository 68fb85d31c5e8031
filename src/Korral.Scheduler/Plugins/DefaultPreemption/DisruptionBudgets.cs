using Korral.Api.Models.PolicyV1;
using Korral.Api.Selectors;
using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins.DefaultPreemption;

/// <summary>
/// The PodDisruptionBudgets of one preemption attempt, with their selectors parsed once (not once per node and victim).
/// Budgets whose selector is missing, empty or invalid protect no pod, as upstream.
/// </summary>
internal sealed class DisruptionBudgets
{
    private readonly Budget[] _budgets;

    private DisruptionBudgets(Budget[] budgets) => _budgets = budgets;

    public static DisruptionBudgets From(IEnumerable<PodDisruptionBudget> pdbs)
    {
        var budgets = new List<Budget>();
        foreach (var pdb in pdbs)
        {
            if (!LabelSelector.TryFromLabelSelector(pdb.Spec?.Selector, out var selector, out _) || selector.Empty || selector.MatchesNothing)
            {
                continue;
            }

            var disrupted = pdb.Status?.DisruptedPods is { } d ? new HashSet<string>(d.Keys, StringComparer.Ordinal) : null;
            budgets.Add(new Budget(pdb.Metadata?.Namespace ?? "", selector, pdb.Status?.DisruptionsAllowed ?? 0, disrupted));
        }

        return new DisruptionBudgets([.. budgets]);
    }

    /// <summary>
    /// Upstream's filterPodsWithPDBViolation: walks <paramref name="pods"/> in order, spending each matching budget's
    /// allowed disruptions; a pod that takes some budget below zero is violating. Pods the budget already counts as
    /// disrupted (the eviction API recorded them) spend nothing. Both lists keep the input order.
    /// </summary>
    public (List<PodInfo> Violating, List<PodInfo> NonViolating) Split(IReadOnlyList<PodInfo> pods)
    {
        var violating = new List<PodInfo>();
        var nonViolating = new List<PodInfo>();
        var allowed = new int[_budgets.Length];
        for (var i = 0; i < _budgets.Length; i++)
        {
            allowed[i] = _budgets[i].DisruptionsAllowed;
        }

        foreach (var pod in pods)
        {
            var violated = false;

            // A pod without labels matches no budget.
            if (pod.Labels.Count > 0)
            {
                for (var i = 0; i < _budgets.Length; i++)
                {
                    var budget = _budgets[i];
                    if (budget.Namespace != pod.Namespace || !budget.Selector.Matches(pod.Labels)
                        || (budget.DisruptedPods?.Contains(pod.Name) ?? false))
                    {
                        continue;
                    }

                    allowed[i]--;
                    violated |= allowed[i] < 0;
                }
            }

            (violated ? violating : nonViolating).Add(pod);
        }

        return (violating, nonViolating);
    }

    private sealed record Budget(string Namespace, LabelSelector Selector, int DisruptionsAllowed, HashSet<string>? DisruptedPods);
}
