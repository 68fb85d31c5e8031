using System.Globalization;

namespace Korral.Api.Printing;

/// <summary>
/// Upstream's human-readable durations, as in the AGE column: two or three significant figures, e.g. <c>0s</c>,
/// <c>119s</c>, <c>2m3s</c>, <c>5m</c>, <c>179m</c>, <c>3h20m</c>, <c>47h</c>, <c>2d3h</c>, <c>300d</c>, <c>3y45d</c>, <c>9y</c>.
/// A duration more than a second negative (a clock ahead of ours) prints as <c>&lt;invalid&gt;</c>.
/// </summary>
public static class HumanDuration
{
    /// <summary>How long ago <paramref name="timestamp"/> was at <paramref name="now"/>; <c>&lt;unknown&gt;</c> for no timestamp.</summary>
    public static string Since(DateTimeOffset? timestamp, DateTimeOffset now) =>
        timestamp is { } t ? Format(now - t) : "<unknown>";

    public static string Format(TimeSpan d)
    {
        var seconds = d.Ticks / TimeSpan.TicksPerSecond; // truncates toward zero, like Go's int(d.Seconds())
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 60 * 2)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{seconds}s");
        }

        var minutes = d.Ticks / TimeSpan.TicksPerMinute;
        if (minutes < 10)
        {
            var s = seconds % 60;
            return s == 0 ? string.Create(CultureInfo.InvariantCulture, $"{minutes}m") : string.Create(CultureInfo.InvariantCulture, $"{minutes}m{s}s");
        }

        if (minutes < 60 * 3)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{minutes}m");
        }

        var hours = d.Ticks / TimeSpan.TicksPerHour;
        if (hours < 8)
        {
            var m = minutes % 60;
            return m == 0 ? string.Create(CultureInfo.InvariantCulture, $"{hours}h") : string.Create(CultureInfo.InvariantCulture, $"{hours}h{m}m");
        }

        if (hours < 48)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{hours}h");
        }

        if (hours < 24 * 8)
        {
            var h = hours % 24;
            return h == 0 ? string.Create(CultureInfo.InvariantCulture, $"{hours / 24}d") : string.Create(CultureInfo.InvariantCulture, $"{hours / 24}d{h}h");
        }

        if (hours < 24 * 365 * 2)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{hours / 24}d");
        }

        if (hours < 24 * 365 * 8)
        {
            var days = hours / 24 % 365;
            return days == 0 ? string.Create(CultureInfo.InvariantCulture, $"{hours / 24 / 365}y") : string.Create(CultureInfo.InvariantCulture, $"{hours / 24 / 365}y{days}d");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{hours / 24 / 365}y");
    }
}
