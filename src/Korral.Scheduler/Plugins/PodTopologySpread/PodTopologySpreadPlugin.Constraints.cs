using Korral.Api.Models.CoreV1;
using Korral.Api.Selectors;
using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins.PodTopologySpread;

public sealed partial class PodTopologySpreadPlugin
{
    internal const string DoNotSchedule = "DoNotSchedule";
    internal const string ScheduleAnyway = "ScheduleAnyway";

    /// <summary>
    /// The pod's constraints for <paramref name="action"/> (DoNotSchedule: hard, ScheduleAnyway: soft), or the default
    /// constraints when the pod has none at all. False with upstream's message when a selector does not parse.
    /// </summary>
    internal bool TryGetConstraints(PodInfo pod, string action, out SpreadConstraint[] constraints, out string? error)
    {
        var kind = action == DoNotSchedule ? "hard" : "soft";
        if (pod.Pod.Spec?.TopologySpreadConstraints is { Count: > 0 } specified)
        {
            if (!TryCompile(specified, pod.Labels, action, out constraints, out error))
            {
                error = $"obtaining pod's {kind} topology spread constraints: {error}";
                return false;
            }

            return true;
        }

        if (!TryCompile(_defaultConstraints, pod.Labels, action, out constraints, out error))
        {
            error = $"setting default {kind} topology spread constraints: {error}";
            return false;
        }

        if (constraints.Length == 0)
        {
            return true;
        }

        var selector = _listers?.DefaultSelector(pod) ?? LabelSelector.Everything;
        if (selector.Empty)
        {
            constraints = [];
            return true;
        }

        for (var i = 0; i < constraints.Length; i++)
        {
            constraints[i] = constraints[i] with { Selector = selector };
        }

        return true;
    }

    private static bool TryCompile(
        IEnumerable<TopologySpreadConstraint> specified, IReadOnlyDictionary<string, string> podLabels, string action, out SpreadConstraint[] constraints, out string? error)
    {
        var result = new List<SpreadConstraint>();
        constraints = [];
        error = null;
        foreach (var c in specified)
        {
            if (c.WhenUnsatisfiable != action)
            {
                continue;
            }

            if (!LabelSelector.TryFromLabelSelector(c.LabelSelector, out var selector, out error))
            {
                return false;
            }

            result.Add(new SpreadConstraint
            {
                MaxSkew = c.MaxSkew ?? 0,
                TopologyKey = c.TopologyKey ?? "",
                Selector = WithMatchLabelKeys(selector, c.MatchLabelKeys, podLabels),
                MinDomains = c.MinDomains ?? 1,
                HonorNodeAffinity = c.NodeAffinityPolicy is null or "Honor",
                HonorNodeTaints = c.NodeTaintsPolicy is "Honor",
            });
        }

        constraints = [.. result];
        return true;
    }

    /// <summary>
    /// matchLabelKeys: the pod's own values of those labels join the selector, so that e.g. only pods of the same
    /// pod-template-hash are spread together. Keys the pod lacks are ignored; a selector that matches nothing stays so.
    /// </summary>
    private static LabelSelector WithMatchLabelKeys(LabelSelector selector, IList<string>? keys, IReadOnlyDictionary<string, string> podLabels)
    {
        if (keys is not { Count: > 0 } || selector.MatchesNothing)
        {
            return selector;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (podLabels.TryGetValue(key, out var value))
            {
                values[key] = value;
            }
        }

        return values.Count == 0 ? selector : LabelSelector.FromSet(values).Add(selector.Requirements);
    }
}
