namespace Korral.Kubelet.Logs;

/// <summary>
/// One line of a CRI container log file, as containerd writes it:
/// <c>2026-11-21T19:59:49.496971223Z stdout F tick 0</c> — an RFC3339Nano timestamp, the stream, a tag (<c>F</c> full or
/// <c>P</c> partial, possibly followed by <c>:</c>-separated tags of later CRI versions) and the text. The runtime splits
/// lines longer than 16 KiB into P segments; the segments up to the next F segment form one logical line.
/// </summary>
public readonly ref struct CriLogLine
{
    /// <summary>The longest timestamp <see cref="FormatTimestamp"/> writes: 2006-01-02T15:04:05.000000000-07:00.</summary>
    public const int MaxTimestampLength = 35;

    private CriLogLine(DateTimeOffset timestamp, int nanosecond, CriLogStream stream, bool partial, ReadOnlySpan<byte> content)
    {
        Timestamp = timestamp;
        Nanosecond = nanosecond;
        Stream = stream;
        IsPartial = partial;
        Content = content;
    }

    /// <summary>When the runtime read the text, to the 100 ns a DateTimeOffset holds, in the offset the file gave.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>The fraction of the second in nanoseconds (0–999,999,999), which <see cref="Timestamp"/> rounds down.</summary>
    public int Nanosecond { get; }

    public CriLogStream Stream { get; }

    /// <summary>A P segment: the logical line continues in the next line of the file.</summary>
    public bool IsPartial { get; }

    /// <summary>
    /// The text. A full line keeps the newline it ended with in the file; a partial segment never has one (the runtime's
    /// line break after it is not part of the text), so writing the contents one after another rebuilds the output.
    /// </summary>
    public ReadOnlySpan<byte> Content { get; }

    /// <summary>
    /// Parses one line of the file, with or without its trailing newline. False for anything that is not a CRI log line
    /// (upstream's reader skips such lines).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> line, out CriLogLine parsed)
    {
        parsed = default;
        var space = line.IndexOf((byte)' ');
        if (space < 0 || !Rfc3339.TryParse(line[..space], out var timestamp, out var nanosecond))
        {
            return false;
        }

        var rest = line[(space + 1)..];
        space = rest.IndexOf((byte)' ');
        if (space < 0)
        {
            return false;
        }

        CriLogStream stream;
        if (rest[..space].SequenceEqual("stdout"u8))
        {
            stream = CriLogStream.Stdout;
        }
        else if (rest[..space].SequenceEqual("stderr"u8))
        {
            stream = CriLogStream.Stderr;
        }
        else
        {
            return false;
        }

        rest = rest[(space + 1)..];
        space = rest.IndexOf((byte)' ');
        if (space < 0)
        {
            return false;
        }

        var tags = rest[..space];
        var colon = tags.IndexOf((byte)':');
        var partial = (colon < 0 ? tags : tags[..colon]).SequenceEqual("P"u8);
        var content = rest[(space + 1)..];
        if (partial && content.Length > 0 && content[^1] == (byte)'\n')
        {
            content = content[..^1];
        }

        parsed = new CriLogLine(timestamp, nanosecond, stream, partial, content);
        return true;
    }

    /// <summary>
    /// Writes the timestamp as the kubelet prefixes lines for <c>timestamps=true</c>: RFC3339 with exactly nine
    /// fractional digits, in the offset of the file (Z for UTC). Returns the bytes written
    /// (at most <see cref="MaxTimestampLength"/>).
    /// </summary>
    public int FormatTimestamp(Span<byte> destination) => Rfc3339.FormatFixedNano(Timestamp, Nanosecond, destination);

    /// <summary>The timestamp as <see cref="FormatTimestamp"/> writes it.</summary>
    public string TimestampText()
    {
        Span<byte> buffer = stackalloc byte[MaxTimestampLength];
        return System.Text.Encoding.ASCII.GetString(buffer[..FormatTimestamp(buffer)]);
    }
}
