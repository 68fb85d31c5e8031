using Korral.Api.Models.CoreV1;

namespace Korral.Scheduler.Plugins.PodTopologySpread;

/// <summary>Whether a node keeps a pod away with a taint it does not tolerate (for nodeTaintsPolicy: Honor).</summary>
internal static class TaintTolerations
{
    /// <summary>A NoSchedule or NoExecute taint that none of the tolerations tolerates (PreferNoSchedule does not count).</summary>
    public static bool HasUntoleratedTaint(IReadOnlyList<Taint> taints, IReadOnlyList<Toleration> tolerations)
    {
        for (var i = 0; i < taints.Count; i++)
        {
            var taint = taints[i];
            if (taint.Effect is not ("NoSchedule" or "NoExecute"))
            {
                continue;
            }

            var tolerated = false;
            for (var j = 0; j < tolerations.Count && !tolerated; j++)
            {
                tolerated = Tolerates(tolerations[j], taint);
            }

            if (!tolerated)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Upstream's ToleratesTaint: an empty effect or key in the toleration matches any; Exists ignores the value, Equal
    /// (or no operator) needs the same value.
    /// </summary>
    public static bool Tolerates(Toleration toleration, Taint taint)
    {
        if (!string.IsNullOrEmpty(toleration.Effect) && toleration.Effect != taint.Effect)
        {
            return false;
        }

        if (!string.IsNullOrEmpty(toleration.Key) && toleration.Key != taint.Key)
        {
            return false;
        }

        return toleration.Operator switch
        {
            null or "" or "Equal" => (toleration.Value ?? "") == (taint.Value ?? ""),
            "Exists" => true,
            _ => false,
        };
    }
}
