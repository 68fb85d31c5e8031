namespace Korral.Kubelet.Logs;

/// <summary>
/// RFC3339 timestamps with up to nine fractional digits, parsed and written on bytes (the log reader handles every line
/// of multi-megabyte files, so no strings are made per line).
/// </summary>
internal static class Rfc3339
{
    /// <summary>
    /// Parses <c>2006-01-02T15:04:05[.fraction](Z|±hh:mm)</c> (Go's RFC3339NanoLenient: the fraction is optional and may
    /// have one to nine digits).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out DateTimeOffset timestamp, out int nanosecond)
    {
        timestamp = default;
        nanosecond = 0;
        if (text.Length < 20 || text[4] != '-' || text[7] != '-' || (text[10] | 0x20) != 't' || text[13] != ':' || text[16] != ':' ||
            !Digits(text[..4], out var year) || !Digits(text.Slice(5, 2), out var month) || !Digits(text.Slice(8, 2), out var day) ||
            !Digits(text.Slice(11, 2), out var hour) || !Digits(text.Slice(14, 2), out var minute) || !Digits(text.Slice(17, 2), out var second))
        {
            return false;
        }

        var i = 19;
        if (text[i] == '.')
        {
            var start = ++i;
            while (i < text.Length && i - start < 9 && text[i] is >= (byte)'0' and <= (byte)'9')
            {
                nanosecond = (nanosecond * 10) + (text[i] - '0');
                i++;
            }

            if (i == start)
            {
                return false;
            }

            for (var pad = i - start; pad < 9; pad++)
            {
                nanosecond *= 10;
            }
        }

        TimeSpan offset;
        var zone = text[i..];
        if (zone.Length == 1 && (zone[0] | 0x20) == 'z')
        {
            offset = TimeSpan.Zero;
        }
        else if (zone.Length == 6 && zone[0] is (byte)'+' or (byte)'-' && zone[3] == ':' &&
                 Digits(zone.Slice(1, 2), out var offsetHours) && Digits(zone.Slice(4, 2), out var offsetMinutes) &&
                 offsetHours < 24 && offsetMinutes < 60)
        {
            offset = new TimeSpan(offsetHours, offsetMinutes, 0);
            if (zone[0] == '-')
            {
                offset = -offset;
            }
        }
        else
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        try
        {
            timestamp = new DateTimeOffset(year, month, day, hour, minute, second, offset).AddTicks(nanosecond / 100);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            // A valid-looking time whose UTC value falls outside what DateTimeOffset holds (year 1 with a positive offset).
            return false;
        }
    }

    /// <summary>Writes RFC3339 with exactly nine fractional digits (Go's RFC3339NanoFixed); returns the bytes written.</summary>
    public static int FormatFixedNano(DateTimeOffset timestamp, int nanosecond, Span<byte> destination)
    {
        var t = timestamp.DateTime;
        var n = 0;
        Put(destination, ref n, t.Year, 4);
        destination[n++] = (byte)'-';
        Put(destination, ref n, t.Month, 2);
        destination[n++] = (byte)'-';
        Put(destination, ref n, t.Day, 2);
        destination[n++] = (byte)'T';
        Put(destination, ref n, t.Hour, 2);
        destination[n++] = (byte)':';
        Put(destination, ref n, t.Minute, 2);
        destination[n++] = (byte)':';
        Put(destination, ref n, t.Second, 2);
        destination[n++] = (byte)'.';
        Put(destination, ref n, nanosecond, 9);
        var offset = timestamp.Offset;
        if (offset == TimeSpan.Zero)
        {
            destination[n++] = (byte)'Z';
            return n;
        }

        destination[n++] = offset < TimeSpan.Zero ? (byte)'-' : (byte)'+';
        offset = offset.Duration();
        Put(destination, ref n, offset.Hours, 2);
        destination[n++] = (byte)':';
        Put(destination, ref n, offset.Minutes, 2);
        return n;
    }

    private static void Put(Span<byte> destination, ref int n, int value, int width)
    {
        for (var i = width - 1; i >= 0; i--)
        {
            destination[n + i] = (byte)('0' + (value % 10));
            value /= 10;
        }

        n += width;
    }

    private static bool Digits(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        foreach (var b in text)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = (value * 10) + (b - '0');
        }

        return true;
    }
}
