using System.Buffers.Text;
using System.Diagnostics;
using System.Text;

namespace Korral.Bench.Scenarios;

/// <summary>
/// One open watch: reads its JSON-lines stream and, for each ADDED event, takes the arrival time of the read that
/// completed the line minus the send time the creator put into the object (<see cref="Payloads.SentMarker"/>). Both are
/// <see cref="Stopwatch"/> ticks of this process, so no clock skew enters. Lines are scanned for the marker rather than
/// parsed, to keep the client's share of the 2 cores small.
/// </summary>
public sealed class WatchStream(int expectedEvents, Action onEvent)
{
    private static readonly byte[] AddedPrefix = """{"type":"ADDED","""u8.ToArray();
    private static readonly byte[] BookmarkPrefix = """{"type":"BOOKMARK","""u8.ToArray();

    public List<long> Latencies { get; } = new(expectedEvents);

    /// <summary>Events other than ADDED and BOOKMARK (an ERROR, say), counted; the first is kept in <see cref="Unexpected"/>.</summary>
    public int UnexpectedCount { get; private set; }

    public string? Unexpected { get; private set; }

    /// <summary>Set when the stream ended or failed before the benchmark stopped it.</summary>
    public string? Ended { get; private set; }

    public async Task ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        var filled = 0;
        try
        {
            while (true)
            {
                if (filled == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                var n = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken);
                if (n == 0)
                {
                    Ended = "the server ended the stream";
                    return;
                }

                var arrived = Stopwatch.GetTimestamp();
                filled += n;
                var start = 0;
                while (buffer.AsSpan(start, filled - start).IndexOf((byte)'\n') is var nl and >= 0)
                {
                    Handle(buffer.AsSpan(start, nl), arrived);
                    start += nl + 1;
                }

                buffer.AsSpan(start, filled - start).CopyTo(buffer);
                filled -= start;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            Ended = cancellationToken.IsCancellationRequested ? null : e.Message;
        }
    }

    private void Handle(ReadOnlySpan<byte> line, long arrived)
    {
        if (line.IsEmpty || line.StartsWith(BookmarkPrefix))
        {
            return;
        }

        var at = line.IndexOf(Payloads.SentMarker);
        if (line.StartsWith(AddedPrefix) && at >= 0 && Utf8Parser.TryParse(line[(at + Payloads.SentMarker.Length)..], out long sent, out _))
        {
            Latencies.Add(arrived - sent);
            onEvent();
            return;
        }

        UnexpectedCount++;
        Unexpected ??= Encoding.UTF8.GetString(line[..Math.Min(line.Length, 300)]);
    }
}
