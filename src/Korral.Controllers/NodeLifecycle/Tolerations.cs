using Korral.Api.Models;
using Korral.Api.Models.CoreV1;

namespace Korral.Controllers.NodeLifecycle;

/// <summary>Which tolerations a pod uses against a node's taints and for how long (upstream's GetMatchingTolerations).</summary>
public static class Tolerations
{
    /// <summary>
    /// Whether every taint is tolerated and, if so, the toleration used for each (the first that matches it, as
    /// upstream). No taints: tolerated with none used.
    /// </summary>
    public static (bool AllTolerated, List<Toleration> Used) Matching(IReadOnlyList<Taint> taints, IReadOnlyList<Toleration>? tolerations)
    {
        var used = new List<Toleration>();
        foreach (var taint in taints)
        {
            var match = tolerations?.FirstOrDefault(t => TolerationMatching.Tolerates(t, taint));
            if (match is null)
            {
                return (false, []);
            }

            used.Add(match);
        }

        return (true, used);
    }

    /// <summary>
    /// How long the used tolerations let a pod stay: the smallest tolerationSeconds (zero or less: zero), none used: zero,
    /// and null when none of them has tolerationSeconds (tolerated forever).
    /// </summary>
    public static TimeSpan? MinTolerationTime(IReadOnlyList<Toleration> used)
    {
        if (used.Count == 0)
        {
            return TimeSpan.Zero;
        }

        long? min = null;
        foreach (var toleration in used)
        {
            if (toleration.TolerationSeconds is { } seconds)
            {
                if (seconds <= 0)
                {
                    return TimeSpan.Zero;
                }

                min = min is { } m ? Math.Min(m, seconds) : seconds;
            }
        }

        return min is { } s ? TimeSpan.FromSeconds(s) : null;
    }
}
