using System.Buffers;

namespace Korral.Kubelet.Logs;

/// <summary>
/// Turns CRI log lines into the output of <c>kubectl logs</c> under the read options: the time bound, the timestamp
/// prefix, the byte limit and, when tailing without following, the line count (upstream's logWriter and the loop
/// around it). Output collects in a buffer that <see cref="DrainAsync"/> writes out once per block read.
/// </summary>
internal sealed class LogLineWriter
{
    private readonly ArrayBufferWriter<byte> _out = new(64 * 1024);
    private readonly DateTimeOffset? _since;
    private readonly bool _timestamps;

    /// <summary>Upstream counts lines only when tailing without following ("limited mode").</summary>
    private readonly bool _countLines;

    private long _linesLeft;
    private long _bytesLeft;
    private bool _newLine = true;

    public LogLineWriter(ContainerLogOptions options)
    {
        _since = options.Since;
        _timestamps = options.Timestamps;
        _countLines = options.TailLines is >= 0 && !options.Follow;
        _linesLeft = options.TailLines ?? 0;
        _bytesLeft = options.LimitBytes ?? long.MaxValue;
        Done = (_countLines && _linesLeft == 0) || _bytesLeft <= 0;
    }

    /// <summary>The byte limit or the tail count has been reached: nothing more is written.</summary>
    public bool Done { get; private set; }

    /// <summary>Writes every complete line pending in <paramref name="buffer"/> and consumes them.</summary>
    public void WriteCompleteLines(LogLineBuffer buffer)
    {
        while (!Done)
        {
            var pending = buffer.Pending;
            var end = pending.IndexOf((byte)'\n');
            if (end < 0)
            {
                return;
            }

            WriteLine(pending[..(end + 1)]);
            buffer.Consume(end + 1);
        }
    }

    /// <summary>Writes what is pending as one line although no line break ended it, and consumes it.</summary>
    public void WriteIncompleteLine(LogLineBuffer buffer)
    {
        var pending = buffer.Pending;
        if (pending.Length > 0 && !Done)
        {
            WriteLine(pending);
        }

        buffer.Clear();
    }

    public async ValueTask DrainAsync(Stream output, CancellationToken cancellationToken)
    {
        if (_out.WrittenCount > 0)
        {
            await output.WriteAsync(_out.WrittenMemory, cancellationToken);
            _out.ResetWrittenCount();
        }
    }

    private void WriteLine(ReadOnlySpan<byte> raw)
    {
        if (!CriLogLine.TryParse(raw, out var line))
        {
            // Upstream logs and skips lines it cannot parse; they count towards nothing.
            return;
        }

        if (_since is not { } since || line.Timestamp >= since)
        {
            if (_timestamps && _newLine)
            {
                Span<byte> prefix = stackalloc byte[CriLogLine.MaxTimestampLength + 1];
                var n = line.FormatTimestamp(prefix);
                prefix[n++] = (byte)' ';
                Put(prefix[..n]);
            }

            Put(line.Content);
            if (_bytesLeft <= 0)
            {
                Done = true;
                return;
            }
        }

        if (_countLines && --_linesLeft == 0)
        {
            Done = true;
        }

        // The next segment starts a logical line (and gets a timestamp) only if this one ended one.
        _newLine = line.Content.IsEmpty || line.Content[^1] == (byte)'\n';
    }

    private void Put(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _bytesLeft)
        {
            bytes = bytes[..(int)_bytesLeft];
        }

        _out.Write(bytes);
        _bytesLeft -= bytes.Length;
    }
}
