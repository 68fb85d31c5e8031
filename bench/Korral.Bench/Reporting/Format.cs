using System.Globalization;

namespace Korral.Bench.Reporting;

/// <summary>How figures are written in the report: milliseconds with sensible precision, decimal MB, rates.</summary>
public static class Format
{
    public static string Duration(TimeSpan t)
    {
        var ms = t.TotalMilliseconds;
        return ms switch
        {
            >= 10_000 => (ms / 1000).ToString("0.0", CultureInfo.InvariantCulture) + " s",
            >= 100 => ms.ToString("0", CultureInfo.InvariantCulture) + " ms",
            >= 10 => ms.ToString("0.0", CultureInfo.InvariantCulture) + " ms",
            _ => ms.ToString("0.00", CultureInfo.InvariantCulture) + " ms",
        };
    }

    public static string Rate(double perSecond) => perSecond.ToString(perSecond >= 100 ? "#,0" : "0.0", CultureInfo.InvariantCulture);

    public static string Bytes(long bytes) => bytes switch
    {
        >= 1_000_000 => (bytes / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " MB",
        >= 1_000 => (bytes / 1e3).ToString("0.0", CultureInfo.InvariantCulture) + " kB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " B",
    };

    public static string Count(long n) => n.ToString("#,0", CultureInfo.InvariantCulture);
}
