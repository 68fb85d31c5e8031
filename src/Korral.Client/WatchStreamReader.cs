using System.Buffers;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Korral.Api.Models;

namespace Korral.Client;

/// <summary>
/// Reads a JSON watch stream (one event per line) from a pooled buffer that grows to the largest event, deserializing
/// each line once; no per-line strings. ERROR events become <see cref="KubeApiException"/>.
/// </summary>
internal static class WatchStreamReader
{
    private const int MaxEventBytes = 64 * 1024 * 1024;

    public static async IAsyncEnumerable<WatchEvent<T>> ReadAsync<T>(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var start = 0;
        var end = 0;
        var scanned = 0;
        try
        {
            while (true)
            {
                var newline = buffer.AsSpan(scanned, end - scanned).IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    var lineEnd = scanned + newline;
                    var e = Parse<T>(buffer.AsSpan(start, lineEnd - start));
                    start = scanned = lineEnd + 1;
                    if (e is { } ev)
                    {
                        yield return ev;
                    }

                    continue;
                }

                scanned = end;
                if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    scanned -= start;
                    start = 0;
                }

                if (end == buffer.Length)
                {
                    if (buffer.Length >= MaxEventBytes)
                    {
                        throw new InvalidDataException($"a watch event is larger than {MaxEventBytes} bytes");
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    Buffer.BlockCopy(buffer, 0, bigger, 0, end);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken);
                if (read == 0)
                {
                    // The server ended the stream; a last event without a newline still counts.
                    if (Parse<T>(buffer.AsSpan(0, end)) is { } last)
                    {
                        yield return last;
                    }

                    yield break;
                }

                end += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static WatchEvent<T>? Parse<T>(ReadOnlySpan<byte> line)
    {
        line = line.Trim(" \t\r\n"u8);
        if (line.IsEmpty)
        {
            return null;
        }

        var parsed = JsonSerializer.Deserialize<WatchLine<T>>(line, KubeJson.Options) ?? throw new JsonException("null watch event");
        var type = parsed.Type switch
        {
            "ADDED" => WatchEventType.Added,
            "MODIFIED" => WatchEventType.Modified,
            "DELETED" => WatchEventType.Deleted,
            "BOOKMARK" => WatchEventType.Bookmark,
            "ERROR" => throw new KubeApiException(parsed.Error ?? KubeApiException.StatusFor(HttpStatusCode.InternalServerError, "ERROR watch event without a Status")),
            _ => throw new JsonException($"unknown watch event type \"{parsed.Type}\""),
        };
        return new WatchEvent<T>(type, parsed.Object ?? throw new JsonException($"{parsed.Type} watch event without an object"));
    }
}
