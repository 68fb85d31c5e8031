using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins.Helper;

/// <summary>Upstream's DefaultNormalizeScore, shared by the plugins whose raw scores are counts or weight sums.</summary>
public static class ScoreNormalizer
{
    /// <summary>
    /// Scales scores so the highest becomes <paramref name="maxPriority"/> (integer division, as upstream); with
    /// <paramref name="reverse"/> each becomes <c>maxPriority - scaled</c>, so the lowest raw score wins. When every
    /// score is 0 they stay 0, or all become <paramref name="maxPriority"/> when reversed.
    /// </summary>
    public static void DefaultNormalizeScore(long maxPriority, bool reverse, Span<NodeScore> scores)
    {
        long max = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            max = Math.Max(max, scores[i].Score);
        }

        if (max == 0)
        {
            if (reverse)
            {
                for (var i = 0; i < scores.Length; i++)
                {
                    scores[i].Score = maxPriority;
                }
            }

            return;
        }

        for (var i = 0; i < scores.Length; i++)
        {
            var score = maxPriority * scores[i].Score / max;
            scores[i].Score = reverse ? maxPriority - score : score;
        }
    }
}
