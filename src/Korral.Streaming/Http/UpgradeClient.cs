using System.Globalization;
using System.Text;

namespace Korral.Streaming.Http;

/// <summary>
/// Sends an <see cref="UpgradeRequest"/> on a connection the caller opened (TCP to containerd's streaming server, TLS to a
/// kubelet) and reads the answer's head. Upgrades cannot go through HttpClient: after 101 the connection carries another
/// protocol and must be handed on whole.
/// </summary>
public static class UpgradeClient
{
    /// <summary>Response heads beyond this are refused: a peer sending more is not an HTTP server we know.</summary>
    private const int MaxHeadBytes = 64 * 1024;

    /// <summary>A refusal's body beyond this is cut: they are Status objects or a line of text.</summary>
    private const int MaxBodyBytes = 1024 * 1024;

    /// <summary>
    /// Writes the request and reads the response head. After 101 the connection belongs to the response (dispose that);
    /// otherwise the body has been read and the caller still owns (and should dispose) the connection.
    /// </summary>
    /// <exception cref="IOException">The connection ended or the answer is not HTTP/1.x.</exception>
    public static async Task<UpgradeResponse> SendAsync(Stream connection, UpgradeRequest request, CancellationToken cancellationToken)
    {
        var head = new StringBuilder();
        head.Append(request.Method).Append(' ').Append(request.PathAndQuery).Append(" HTTP/1.1\r\n");
        head.Append("Host: ").Append(request.Host).Append("\r\n");
        foreach (var (name, value) in request.Headers)
        {
            if (name.AsSpan().IndexOfAny("\r\n:") >= 0 || value.AsSpan().IndexOfAny('\r', '\n') >= 0)
            {
                throw new ArgumentException($"header {name} cannot be sent", nameof(request));
            }

            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        head.Append("\r\n");
        await connection.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), cancellationToken);
        await connection.FlushAsync(cancellationToken);

        var (statusCode, reason, headers, rest) = await ReadHeadAsync(connection, cancellationToken);
        if (statusCode == 101)
        {
            return new UpgradeResponse(statusCode, reason, headers, [], new PrefixedStream(rest, connection));
        }

        var body = await ReadBodyAsync(connection, headers, rest, cancellationToken);
        return new UpgradeResponse(statusCode, reason, headers, body, null);
    }

    private static async Task<(int Status, string Reason, List<KeyValuePair<string, string>> Headers, byte[] Leftover)> ReadHeadAsync(
        Stream connection, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var length = 0;
        int end;
        while ((end = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (length == buffer.Length)
            {
                if (buffer.Length >= MaxHeadBytes)
                {
                    throw new IOException("the response head is too large");
                }

                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var n = await connection.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (n == 0)
            {
                throw new IOException("the connection closed before a response arrived");
            }

            length += n;
        }

        var lines = Encoding.Latin1.GetString(buffer, 0, end).Split("\r\n");
        var status = lines[0].Split(' ', 3);
        if (status.Length < 2 || !status[0].StartsWith("HTTP/1.", StringComparison.Ordinal) ||
            !int.TryParse(status[1], NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            throw new IOException($"malformed HTTP response: {lines[0]}");
        }

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0)
            {
                headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
            }
        }

        return (code, status.Length > 2 ? status[2] : "", headers, buffer.AsSpan(end + 4, length - end - 4).ToArray());
    }

    private static async Task<byte[]> ReadBodyAsync(Stream connection, List<KeyValuePair<string, string>> headers, byte[] rest, CancellationToken cancellationToken)
    {
        string? Find(string name) => headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

        var raw = new MemoryStream();
        raw.Write(rest);
        if (Find("Content-Length") is { } declared && long.TryParse(declared, NumberStyles.None, CultureInfo.InvariantCulture, out var contentLength))
        {
            var wanted = (int)Math.Min(contentLength, MaxBodyBytes);
            await FillAsync(connection, raw, wanted, cancellationToken);
            return raw.ToArray().AsSpan(0, Math.Min(wanted, (int)raw.Length)).ToArray();
        }

        var chunked = Find("Transfer-Encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true;
        if (!chunked)
        {
            // No length: the body runs to the end of the connection.
            await FillAsync(connection, raw, MaxBodyBytes, cancellationToken);
            return raw.ToArray();
        }

        var body = new MemoryStream();
        var position = 0;
        while (true)
        {
            var lineEnd = await LineEndAsync(connection, raw, position, cancellationToken);
            if (lineEnd < 0)
            {
                return body.ToArray();
            }

            var sizeText = Encoding.ASCII.GetString(raw.GetBuffer(), position, lineEnd - position).Split(';')[0].Trim();
            if (!int.TryParse(sizeText, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size) || size == 0 ||
                body.Length + size > MaxBodyBytes)
            {
                return body.ToArray();
            }

            position = lineEnd + 2;
            await FillAsync(connection, raw, position + size + 2, cancellationToken);
            var available = Math.Min(size, (int)raw.Length - position);
            body.Write(raw.GetBuffer(), position, available);
            position += size + 2;
            if (available < size)
            {
                return body.ToArray();
            }
        }
    }

    /// <summary>Reads until <paramref name="buffer"/> holds <paramref name="wanted"/> bytes or the connection ends.</summary>
    private static async Task FillAsync(Stream connection, MemoryStream buffer, int wanted, CancellationToken cancellationToken)
    {
        var chunk = new byte[8192];
        while (buffer.Length < wanted)
        {
            var n = await connection.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, wanted - buffer.Length)), cancellationToken);
            if (n == 0)
            {
                return;
            }

            buffer.Write(chunk, 0, n);
        }
    }

    /// <summary>The index of the next CRLF at or after <paramref name="from"/>, reading more as needed; -1 at the end.</summary>
    private static async Task<int> LineEndAsync(Stream connection, MemoryStream buffer, int from, CancellationToken cancellationToken)
    {
        while (true)
        {
            var found = buffer.GetBuffer().AsSpan(from, (int)buffer.Length - from).IndexOf("\r\n"u8);
            if (found >= 0)
            {
                return from + found;
            }

            var before = buffer.Length;
            await FillAsync(connection, buffer, (int)buffer.Length + 1, cancellationToken);
            if (buffer.Length == before || buffer.Length > MaxBodyBytes)
            {
                return -1;
            }
        }
    }
}
