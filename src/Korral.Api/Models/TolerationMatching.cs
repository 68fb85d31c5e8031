using Korral.Api.Models.CoreV1;

namespace Korral.Api.Models;

/// <summary>
/// Whether tolerations tolerate a taint, as upstream's <c>Toleration.ToleratesTaint</c>: an empty effect matches every
/// effect, an empty key (only valid with Exists) matches every key, operator Exists ignores the value, Equal (or no
/// operator) needs the same value; any other operator tolerates nothing. Loops by index: these run inside Filter/Score
/// for every node, so they must not allocate enumerators. Shared by the scheduler and the taint eviction controller.
/// </summary>
public static class TolerationMatching
{
    public static bool Tolerates(Toleration toleration, string? taintKey, string? taintValue, string? taintEffect)
    {
        if (!string.IsNullOrEmpty(toleration.Effect) && !string.Equals(toleration.Effect, taintEffect ?? "", StringComparison.Ordinal))
        {
            return false;
        }

        if (!string.IsNullOrEmpty(toleration.Key) && !string.Equals(toleration.Key, taintKey ?? "", StringComparison.Ordinal))
        {
            return false;
        }

        return toleration.Operator switch
        {
            null or "" or "Equal" => string.Equals(toleration.Value ?? "", taintValue ?? "", StringComparison.Ordinal),
            "Exists" => true,
            _ => false,
        };
    }

    public static bool Tolerates(Toleration toleration, Taint taint) => Tolerates(toleration, taint.Key, taint.Value, taint.Effect);

    /// <summary>Upstream's TolerationsTolerateTaint: at least one toleration tolerates the taint.</summary>
    public static bool AnyTolerates(IReadOnlyList<Toleration> tolerations, string? taintKey, string? taintValue, string? taintEffect)
    {
        for (var i = 0; i < tolerations.Count; i++)
        {
            if (Tolerates(tolerations[i], taintKey, taintValue, taintEffect))
            {
                return true;
            }
        }

        return false;
    }

    public static bool AnyTolerates(IReadOnlyList<Toleration> tolerations, Taint taint) => AnyTolerates(tolerations, taint.Key, taint.Value, taint.Effect);

    /// <summary>
    /// Upstream's FindMatchingUntoleratedTaint with the NoSchedule/NoExecute filter: the first such taint no toleration
    /// tolerates, or null when the pod tolerates them all (PreferNoSchedule taints are only a preference, scored elsewhere).
    /// </summary>
    public static Taint? FirstUntoleratedHardTaint(IReadOnlyList<Taint> taints, IReadOnlyList<Toleration> tolerations)
    {
        for (var i = 0; i < taints.Count; i++)
        {
            var taint = taints[i];
            if (taint.Effect is not ("NoSchedule" or "NoExecute"))
            {
                continue;
            }

            if (!AnyTolerates(tolerations, taint))
            {
                return taint;
            }
        }

        return null;
    }
}
