using Korral.Api.Models.CoreV1;
using Korral.Api.Models.PolicyV1;
using Korral.Client.Events;
using Selector = Korral.Api.Selectors.LabelSelector;

namespace Korral.Controllers.Disruption;

/// <summary>Which budgets select a pod, and which pods a budget selects (policy/v1 semantics: an empty selector selects all).</summary>
public sealed partial class DisruptionController
{
    /// <summary>
    /// The budget a pod event concerns: the one selecting it, or the first by name (with a Warning event on the pod) when
    /// several do, as upstream chooses one arbitrarily. Pods without labels belong to no budget here.
    /// </summary>
    private PodDisruptionBudget? BudgetFor(Pod pod)
    {
        var labels = pod.Metadata?.Labels;
        if (labels is null || labels.Count == 0)
        {
            return null;
        }

        var matching = new List<PodDisruptionBudget>();
        foreach (var budget in _budgets.List(pod.Metadata?.Namespace ?? ""))
        {
            // Unlike the eviction subresource, an empty selector matches every pod; a missing or invalid one none.
            if (Selector.TryFromLabelSelector(budget.Spec?.Selector, out var selector, out _) && selector.Matches(labels.AsReadOnly()))
            {
                matching.Add(budget);
            }
        }

        if (matching.Count == 0)
        {
            return null;
        }

        matching.Sort((a, b) => string.CompareOrdinal(a.Metadata?.Name, b.Metadata?.Name));
        if (matching.Count > 1)
        {
            var message = $"Pod \"{pod.Metadata?.Namespace}\"/\"{pod.Metadata?.Name}\" matches multiple PodDisruptionBudgets.  Chose \"{matching[0].Metadata?.Name}\" arbitrarily.";
            _log($"disruption: {message}");
            _events.Event(pod, EventTypes.Warning, "MultiplePodDisruptionBudgets", message);
        }

        return matching[0];
    }

    /// <summary>The pods of the budget's namespace its selector matches; throws when the selector does not parse.</summary>
    private List<Pod> PodsFor(PodDisruptionBudget budget)
    {
        if (!Selector.TryFromLabelSelector(budget.Spec?.Selector, out var selector, out var error))
        {
            throw new InvalidOperationException(error);
        }

        return _pods.List(budget.Metadata?.Namespace ?? "", selector);
    }
}
