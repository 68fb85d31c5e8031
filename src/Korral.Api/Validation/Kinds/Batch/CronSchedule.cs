using System.Globalization;
using System.Text.RegularExpressions;

namespace Korral.Api.Validation.Kinds.Batch;

/// <summary>
/// A standard five-field cron schedule (minute hour day-of-month month day-of-week, with names, ranges, steps, '*'
/// and '?'), or a descriptor (@hourly, @daily, @every 1h30m …), as the cron library upstream uses parses it. Errors
/// use that library's words, e.g. <c>expected exactly 5 fields, found 1: [hello]</c>.
/// </summary>
public sealed partial class CronSchedule
{
    private static readonly (uint Min, uint Max, Dictionary<string, uint>? Names)[] Bounds =
    [
        (0, 59, null),
        (0, 23, null),
        (1, 31, null),
        (1, 12, new(StringComparer.Ordinal)
        {
            ["jan"] = 1, ["feb"] = 2, ["mar"] = 3, ["apr"] = 4, ["may"] = 5, ["jun"] = 6,
            ["jul"] = 7, ["aug"] = 8, ["sep"] = 9, ["oct"] = 10, ["nov"] = 11, ["dec"] = 12,
        }),
        (0, 6, new(StringComparer.Ordinal) { ["sun"] = 0, ["mon"] = 1, ["tue"] = 2, ["wed"] = 3, ["thu"] = 4, ["fri"] = 5, ["sat"] = 6 }),
    ];

    private CronSchedule(ulong[] fields, TimeSpan? every, string? timeZone)
    {
        Fields = fields;
        Every = every;
        TimeZone = timeZone;
    }

    /// <summary>Bit sets of the allowed minute, hour, day of month, month and day of week (bit n = value n).</summary>
    public IReadOnlyList<ulong> Fields { get; }

    /// <summary>For <c>@every</c> schedules, the interval.</summary>
    public TimeSpan? Every { get; }

    /// <summary>The zone of a <c>TZ=</c> / <c>CRON_TZ=</c> prefix, if any.</summary>
    public string? TimeZone { get; }

    /// <summary>Whether both day-of-month and day-of-week were restricted (cron then matches either).</summary>
    public bool DayOfMonthStar => (Fields[2] & StarBit) != 0;

    public bool DayOfWeekStar => (Fields[4] & StarBit) != 0;

    private const ulong StarBit = 1UL << 63;

    public static bool TryParse(string spec, out CronSchedule? schedule, out string? error)
    {
        schedule = null;
        error = null;
        if (spec.Length == 0)
        {
            error = "empty spec string";
            return false;
        }

        string? zone = null;
        if (spec.StartsWith("TZ=", StringComparison.Ordinal) || spec.StartsWith("CRON_TZ=", StringComparison.Ordinal))
        {
            var space = spec.IndexOf(' ');
            var eq = spec.IndexOf('=');
            if (space < 0)
            {
                space = spec.Length;
            }

            zone = spec[(eq + 1)..space];
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _) && zone != "UTC")
            {
                error = $"provided bad location {zone}: unknown time zone {zone}";
                return false;
            }

            spec = spec[space..].Trim();
        }

        if (spec.StartsWith('@'))
        {
            return TryParseDescriptor(spec, zone, out schedule, out error);
        }

        var fields = spec.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            error = $"expected exactly 5 fields, found {fields.Length}: [{string.Join(" ", fields)}]";
            return false;
        }

        var bits = new ulong[5];
        for (var i = 0; i < 5; i++)
        {
            foreach (var expr in fields[i].Split(','))
            {
                if (!TryGetRange(expr, Bounds[i], out var b, out error))
                {
                    return false;
                }

                bits[i] |= b;
            }
        }

        schedule = new CronSchedule(bits, null, zone);
        return true;
    }

    private static bool TryParseDescriptor(string spec, string? zone, out CronSchedule? schedule, out string? error)
    {
        schedule = null;
        error = null;
        static ulong All((uint Min, uint Max, Dictionary<string, uint>? Names) b) => Bits(b.Min, b.Max, 1) | StarBit;
        ulong[]? fields = spec switch
        {
            "@yearly" or "@annually" => [1, 1, 1 << 1, 1 << 1, All(Bounds[4])],
            "@monthly" => [1, 1, 1 << 1, All(Bounds[3]), All(Bounds[4])],
            "@weekly" => [1, 1, All(Bounds[2]), All(Bounds[3]), 1],
            "@daily" or "@midnight" => [1, 1, All(Bounds[2]), All(Bounds[3]), All(Bounds[4])],
            "@hourly" => [1, All(Bounds[1]), All(Bounds[2]), All(Bounds[3]), All(Bounds[4])],
            _ => null,
        };
        if (fields is not null)
        {
            schedule = new CronSchedule(fields, null, zone);
            return true;
        }

        const string every = "@every ";
        if (spec.StartsWith(every, StringComparison.Ordinal))
        {
            var text = spec[every.Length..];
            if (!TryParseGoDuration(text, out var duration, out var durationError))
            {
                error = $"failed to parse duration {spec}: {durationError}";
                return false;
            }

            schedule = new CronSchedule([], duration, zone);
            return true;
        }

        error = $"unrecognized descriptor: {spec}";
        return false;
    }

    private static bool TryGetRange(string expr, (uint Min, uint Max, Dictionary<string, uint>? Names) r, out ulong bits, out string? error)
    {
        bits = 0;
        error = null;
        var rangeAndStep = expr.Split('/');
        var lowAndHigh = rangeAndStep[0].Split('-');
        var singleDigit = lowAndHigh.Length == 1;
        uint start, end, step;
        ulong extra = 0;
        if (lowAndHigh[0] is "*" or "?")
        {
            start = r.Min;
            end = r.Max;
            extra = StarBit;
        }
        else
        {
            if (!TryParseIntOrName(lowAndHigh[0], r.Names, out start, out error))
            {
                return false;
            }

            switch (lowAndHigh.Length)
            {
                case 1:
                    end = start;
                    break;
                case 2:
                    if (!TryParseIntOrName(lowAndHigh[1], r.Names, out end, out error))
                    {
                        return false;
                    }

                    break;
                default:
                    error = $"too many hyphens: {expr}";
                    return false;
            }
        }

        switch (rangeAndStep.Length)
        {
            case 1:
                step = 1;
                break;
            case 2:
                if (!TryMustParseInt(rangeAndStep[1], out step, out error))
                {
                    return false;
                }

                if (singleDigit)
                {
                    end = r.Max;
                }

                if (step > 1)
                {
                    extra = 0;
                }

                break;
            default:
                error = $"too many slashes: {expr}";
                return false;
        }

        if (start < r.Min)
        {
            error = $"beginning of range ({start}) below minimum ({r.Min}): {expr}";
            return false;
        }

        if (end > r.Max)
        {
            error = $"end of range ({end}) above maximum ({r.Max}): {expr}";
            return false;
        }

        if (start > end)
        {
            error = $"beginning of range ({start}) beyond end of range ({end}): {expr}";
            return false;
        }

        if (step == 0)
        {
            error = $"step of range should be a positive number: {expr}";
            return false;
        }

        bits = Bits(start, end, step) | extra;
        return true;
    }

    private static ulong Bits(uint min, uint max, uint step)
    {
        ulong bits = 0;
        for (var i = min; i <= max; i += step)
        {
            bits |= 1UL << (int)i;
        }

        return bits;
    }

    private static bool TryParseIntOrName(string expr, Dictionary<string, uint>? names, out uint value, out string? error)
    {
        if (names is not null && names.TryGetValue(expr.ToLowerInvariant(), out value))
        {
            error = null;
            return true;
        }

        return TryMustParseInt(expr, out value, out error);
    }

    private static bool TryMustParseInt(string expr, out uint value, out string? error)
    {
        value = 0;
        error = null;
        if (!AtoiSyntax().IsMatch(expr))
        {
            error = $"failed to parse int from {expr}: strconv.Atoi: parsing {GoSyntax.Quote(expr)}: invalid syntax";
            return false;
        }

        if (!long.TryParse(expr, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var num))
        {
            error = $"failed to parse int from {expr}: strconv.Atoi: parsing {GoSyntax.Quote(expr)}: value out of range";
            return false;
        }

        if (num < 0)
        {
            error = $"negative number ({num}) not allowed: {expr}";
            return false;
        }

        value = num > uint.MaxValue ? uint.MaxValue : (uint)num;
        return true;
    }

    // Go durations: "1h30m", "90s", "1.5h", "300ms".
    private static bool TryParseGoDuration(string text, out TimeSpan duration, out string? error)
    {
        duration = TimeSpan.Zero;
        error = null;
        var m = GoDuration().Match(text);
        if (text.Length == 0 || !m.Success)
        {
            error = $"time: invalid duration {GoSyntax.Quote(text)}";
            return false;
        }

        double total = 0;
        foreach (Capture c in m.Groups["part"].Captures)
        {
            var part = PartRegex().Match(c.Value);
            var n = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            total += part.Groups[2].Value switch
            {
                "ns" => n / 1e9,
                "us" or "µs" => n / 1e6,
                "ms" => n / 1e3,
                "s" => n,
                "m" => n * 60,
                _ => n * 3600,
            };
        }

        duration = TimeSpan.FromSeconds(total);
        return true;
    }

    [GeneratedRegex(@"^[+-]?[0-9]+$")]
    private static partial Regex AtoiSyntax();

    [GeneratedRegex(@"^(?<part>[0-9]*\.?[0-9]+(ns|us|µs|ms|s|m|h))+$")]
    private static partial Regex GoDuration();

    [GeneratedRegex(@"^([0-9]*\.?[0-9]+)(ns|us|µs|ms|s|m|h)$")]
    private static partial Regex PartRegex();
}
