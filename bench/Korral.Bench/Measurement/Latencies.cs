using System.Diagnostics;

namespace Korral.Bench.Measurement;

/// <summary>
/// Latency samples in <see cref="Stopwatch"/> ticks, sorted once; percentiles by nearest rank (p99 of 5,000 samples is
/// the 4,950th smallest), so every reported figure is a latency that was actually observed.
/// </summary>
public sealed class Latencies
{
    private readonly long[] _sorted;

    public Latencies(IEnumerable<long> ticks)
    {
        _sorted = ticks.ToArray();
        Array.Sort(_sorted);
    }

    public int Count => _sorted.Length;

    public TimeSpan P50 => Percentile(50);

    public TimeSpan P99 => Percentile(99);

    public TimeSpan Max => Count == 0 ? TimeSpan.Zero : ToTimeSpan(_sorted[^1]);

    public TimeSpan Min => Count == 0 ? TimeSpan.Zero : ToTimeSpan(_sorted[0]);

    public TimeSpan Percentile(double p)
    {
        if (Count == 0)
        {
            return TimeSpan.Zero;
        }

        var rank = (int)Math.Ceiling(p / 100 * Count);
        return ToTimeSpan(_sorted[Math.Clamp(rank, 1, Count) - 1]);
    }

    public static TimeSpan ToTimeSpan(long ticks) => TimeSpan.FromSeconds((double)ticks / Stopwatch.Frequency);
}
