namespace Korral.Scheduler.Plugins.DefaultPreemption;

/// <summary>
/// Upstream's pickOneNodeForPreemption: each rule keeps the candidates with the best score and the next rule only breaks
/// ties among them. Rules in order: fewest budget violations; lowest priority of the most important victim; smallest sum
/// of victim priorities; fewest victims; latest start among the most important victims (disturb the youngest work).
/// Still tied: the first candidate in search order.
/// </summary>
internal static class CandidatePicker
{
    public static Candidate? Pick(IReadOnlyList<Candidate> candidates, PodImportance importance)
    {
        if (candidates.Count <= 1)
        {
            return candidates.Count == 0 ? null : candidates[0];
        }

        Func<Candidate, long>[] rules =
        [
            c => -c.NumPdbViolations,
            c => -(long)c.Victims[0].Priority,

            // Shifting every priority by 2^31 makes it non-negative, so that more victims never lower the sum.
            c => -c.Victims.Sum(v => (long)v.Priority + int.MaxValue + 1L),
            c => -c.Victims.Count,
            c => EarliestStartOfMostImportant(c, importance).UtcTicks,
        ];

        var remaining = candidates;
        foreach (var rule in rules)
        {
            var best = long.MinValue;
            var kept = new List<Candidate>();
            foreach (var candidate in remaining)
            {
                var score = rule(candidate);
                if (score > best)
                {
                    best = score;
                    kept.Clear();
                }

                if (score == best)
                {
                    kept.Add(candidate);
                }
            }

            if (kept.Count == 1)
            {
                return kept[0];
            }

            remaining = kept;
        }

        return remaining[0];
    }

    /// <summary>The earliest start time among the victims that share the highest victim priority (upstream's GetEarliestPodStartTime).</summary>
    internal static DateTimeOffset EarliestStartOfMostImportant(Candidate candidate, PodImportance importance)
    {
        var top = candidate.Victims.Max(v => v.Priority);
        return candidate.Victims.Where(v => v.Priority == top).Min(importance.StartTime);
    }
}
