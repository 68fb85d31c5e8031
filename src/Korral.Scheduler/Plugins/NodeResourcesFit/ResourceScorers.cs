using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins.NodeResourcesFit;

/// <summary>Upstream's resource scoring formulas: least/most allocated, requested-to-capacity ratio, balanced allocation.</summary>
internal static class ResourceScorers
{
    private const long MaxNodeScore = IScorePlugin.MaxNodeScore;

    /// <summary>Upstream's MaxCustomPriorityScore: shape scores are 0–10 and scaled to 0–100.</summary>
    private const long MaxCustomPriorityScore = 10;

    private const long MaxUtilization = 100;

    /// <summary>Weighted average of <c>(allocatable - requested) * 100 / allocatable</c>; 0 for an over-committed resource.</summary>
    public static long LeastAllocated(ReadOnlySpan<long> requested, ReadOnlySpan<long> allocatable, ReadOnlySpan<long> weights)
    {
        long nodeScore = 0, weightSum = 0;
        for (var i = 0; i < requested.Length; i++)
        {
            if (allocatable[i] == 0)
            {
                continue;
            }

            var score = requested[i] > allocatable[i] ? 0 : (allocatable[i] - requested[i]) * MaxNodeScore / allocatable[i];
            nodeScore += score * weights[i];
            weightSum += weights[i];
        }

        return weightSum == 0 ? 0 : nodeScore / weightSum;
    }

    /// <summary>
    /// Weighted average of <c>requested * 100 / allocatable</c>, requested capped at allocatable (the non-zero defaults
    /// can push it past).
    /// </summary>
    public static long MostAllocated(ReadOnlySpan<long> requested, ReadOnlySpan<long> allocatable, ReadOnlySpan<long> weights)
    {
        long nodeScore = 0, weightSum = 0;
        for (var i = 0; i < requested.Length; i++)
        {
            if (allocatable[i] == 0)
            {
                continue;
            }

            var used = Math.Min(requested[i], allocatable[i]);
            nodeScore += used * MaxNodeScore / allocatable[i] * weights[i];
            weightSum += weights[i];
        }

        return weightSum == 0 ? 0 : nodeScore / weightSum;
    }

    /// <summary>
    /// The RequestedToCapacityRatio scorer for <paramref name="shape"/>: each resource's utilization (capped at 100%)
    /// goes through the broken-line function; resources scoring 0 are left out of the average, which is rounded.
    /// </summary>
    public static ResourceScoreFunction RequestedToCapacityRatio(IReadOnlyList<UtilizationShapePoint> shape)
    {
        var utilization = new long[shape.Count];
        var score = new long[shape.Count];
        for (var i = 0; i < shape.Count; i++)
        {
            utilization[i] = shape[i].Utilization;
            score[i] = shape[i].Score * (MaxNodeScore / MaxCustomPriorityScore);
        }

        long Raw(long p)
        {
            for (var i = 0; i < utilization.Length; i++)
            {
                if (p <= utilization[i])
                {
                    return i == 0 ? score[0] : score[i - 1] + ((score[i] - score[i - 1]) * (p - utilization[i - 1]) / (utilization[i] - utilization[i - 1]));
                }
            }

            return score[^1];
        }

        return (requested, allocatable, weights) =>
        {
            long nodeScore = 0, weightSum = 0;
            for (var i = 0; i < requested.Length; i++)
            {
                if (allocatable[i] == 0)
                {
                    continue;
                }

                var resourceScore = requested[i] > allocatable[i] ? Raw(MaxUtilization) : Raw(requested[i] * MaxUtilization / allocatable[i]);
                if (resourceScore > 0)
                {
                    nodeScore += resourceScore * weights[i];
                    weightSum += weights[i];
                }
            }

            return weightSum == 0 ? 0 : (long)Math.Round((double)nodeScore / weightSum, MidpointRounding.AwayFromZero);
        };
    }

    /// <summary>
    /// NodeResourcesBalancedAllocation: <c>(1 - standard deviation of the requested/allocatable fractions) * 100</c>,
    /// fractions capped at 1, truncated. With two resources the deviation is half their difference. Weights are unused.
    /// </summary>
    public static long Balanced(ReadOnlySpan<long> requested, ReadOnlySpan<long> allocatable, ReadOnlySpan<long> weights)
    {
        Span<double> fractions = requested.Length <= 16 ? stackalloc double[requested.Length] : new double[requested.Length];
        var count = 0;
        var total = 0.0;
        for (var i = 0; i < requested.Length; i++)
        {
            if (allocatable[i] == 0)
            {
                continue;
            }

            var fraction = Math.Min(1.0, (double)requested[i] / allocatable[i]);
            total += fraction;
            fractions[count++] = fraction;
        }

        var std = 0.0;
        if (count == 2)
        {
            std = Math.Abs((fractions[0] - fractions[1]) / 2);
        }
        else if (count > 2)
        {
            var mean = total / count;
            var sum = 0.0;
            for (var i = 0; i < count; i++)
            {
                sum += (fractions[i] - mean) * (fractions[i] - mean);
            }

            std = Math.Sqrt(sum / count);
        }

        return (long)((1 - std) * MaxNodeScore);
    }
}
