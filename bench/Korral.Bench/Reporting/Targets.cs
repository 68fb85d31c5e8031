using System.Globalization;

namespace Korral.Bench.Reporting;

/// <summary>
/// The team's targets and the verdict against them: "met", or "missed by X" with the distance in the figure's own
/// unit and as a factor, so the table says how far off a figure is, not only that it is.
/// </summary>
public static class Targets
{
    public static readonly TimeSpan ColdStart = TimeSpan.FromSeconds(1);
    public const double CreatesPerSecond = 2000;
    public static readonly TimeSpan List = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan WatchP99 = TimeSpan.FromMilliseconds(50);
    public const long IdleRssBytes = 100L * 1000 * 1000;

    public static string AtMost(TimeSpan value, TimeSpan target) =>
        value <= target ? "met" : $"missed by {Format.Duration(value - target)} ({(value / target).ToString("0.0", CultureInfo.InvariantCulture)}×)";

    public static string AtLeast(double value, double target) =>
        value >= target ? "met" : $"missed by {Format.Rate(target - value)}/s (reached {(value / target * 100).ToString("0", CultureInfo.InvariantCulture)} %)";

    public static string AtMostBytes(long value, long target) =>
        value <= target ? "met" : $"missed by {Format.Bytes(value - target)}";
}
