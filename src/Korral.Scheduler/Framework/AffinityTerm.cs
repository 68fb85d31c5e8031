using Korral.Api.Models.CoreV1;
using Korral.Api.Selectors;

namespace Korral.Scheduler.Framework;

/// <summary>
/// A pod (anti-)affinity term compiled once per pod: the label selector, the namespaces it looks at and the topology key. An empty namespace
/// list with no namespace selector means the owning pod's namespace; an empty namespace selector means every namespace.
/// </summary>
public sealed class AffinityTerm
{
    public required LabelSelector Selector { get; init; }

    /// <summary>Namespaces named explicitly (or the pod's own when neither list nor selector is given).</summary>
    public required IReadOnlySet<string> Namespaces { get; init; }

    /// <summary>Null: no namespace selector. Empty: all namespaces.</summary>
    public LabelSelector? NamespaceSelector { get; init; }

    public required string TopologyKey { get; init; }

    /// <summary>Weight of a preferred term (1–100); 0 for required terms.</summary>
    public int Weight { get; init; }

    /// <summary>
    /// Whether <paramref name="pod"/> is selected: its namespace is one of <see cref="Namespaces"/> or its namespace's labels
    /// (<paramref name="namespaceLabels"/>) match <see cref="NamespaceSelector"/>, and its labels match the selector.
    /// </summary>
    public bool Matches(PodInfo pod, IReadOnlyDictionary<string, string>? namespaceLabels)
    {
        var inNamespace = Namespaces.Contains(pod.Namespace)
            || (NamespaceSelector is not null && (NamespaceSelector.Empty || NamespaceSelector.Matches(namespaceLabels)));
        return inNamespace && Selector.Matches(pod.Labels);
    }

    internal static bool TryCompile(PodAffinityTerm term, int weight, PodInfo owner, out AffinityTerm? compiled, out string? error)
    {
        compiled = null;
        if (!LabelSelector.TryFromLabelSelector(term.LabelSelector, out var selector, out error))
        {
            return false;
        }

        // A missing labelSelector selects nothing (upstream: nil selector matches no pods).
        if (term.LabelSelector is null)
        {
            selector = LabelSelector.Nothing;
        }

        LabelSelector? namespaceSelector = null;
        if (term.NamespaceSelector is not null && !LabelSelector.TryFromLabelSelector(term.NamespaceSelector, out namespaceSelector, out error))
        {
            return false;
        }

        var namespaces = new HashSet<string>(term.Namespaces ?? [], StringComparer.Ordinal);
        if (namespaces.Count == 0 && namespaceSelector is null)
        {
            namespaces.Add(owner.Namespace);
        }

        compiled = new AffinityTerm
        {
            Selector = selector,
            Namespaces = namespaces,
            NamespaceSelector = namespaceSelector,
            TopologyKey = term.TopologyKey ?? "",
            Weight = weight,
        };
        return true;
    }
}
