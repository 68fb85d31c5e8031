namespace Korral.Bench.Kubelet.Measurement;

/// <summary>
/// Percentiles of a set of durations in milliseconds, nearest-rank as clusterloader2 computes them (p99 of 10 samples is
/// the largest one).
/// </summary>
public sealed record Summary(int Count, double P50, double P90, double P99, double Max, double Mean)
{
    public static Summary? Of(IEnumerable<TimeSpan?> values)
    {
        var sorted = values.Where(v => v is not null).Select(v => v!.Value.TotalMilliseconds).Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        return new Summary(sorted.Length, Rank(sorted, 0.50), Rank(sorted, 0.90), Rank(sorted, 0.99), sorted[^1], sorted.Average());
    }

    private static double Rank(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
