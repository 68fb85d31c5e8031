using Korral.Api.Models.CoreV1;

namespace Korral.Controllers.NodeLifecycle;

/// <summary>Which tolerations tolerate which taints (upstream's ToleratesTaint and GetMatchingTolerations).</summary>
public static class Tolerations
{
    /// <summary>
    /// An empty effect matches every effect, an empty key (with <c>Exists</c>) every key; <c>Exists</c> matches any value,
    /// <c>Equal</c> (the default) only the same value. Unknown operators tolerate nothing.
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

    /// <summary>
    /// Whether every taint is tolerated and, if so, the toleration used for each (the first that matches it, as
    /// upstream). No taints: tolerated with none used.
    /// </summary>
    public static (bool AllTolerated, List<Toleration> Used) Matching(IReadOnlyList<Taint> taints, IReadOnlyList<Toleration>? tolerations)
    {
        var used = new List<Toleration>();
        foreach (var taint in taints)
        {
            var match = tolerations?.FirstOrDefault(t => Tolerates(t, taint));
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
