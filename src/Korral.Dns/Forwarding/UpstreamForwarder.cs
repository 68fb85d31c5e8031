using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Korral.Dns.Forwarding;

/// <summary>
/// Forwards queries to the node's upstream resolvers, as CoreDNS's forward plugin: UDP first, TCP when the answer was
/// truncated and the client can take more, each upstream tried once within <see cref="ForwardOptions.TryTimeout"/>,
/// starting from the one that answered last; nothing after <see cref="ForwardOptions.Deadline"/>. Each query uses a new
/// UDP socket (a fresh random source port) and only a response with the query's id, QR set and the same question is
/// taken.
/// </summary>
public sealed class UpstreamForwarder : IDnsForwarder
{
    private readonly ForwardOptions _options;
    private readonly Action<string> _log;
    private int _preferred;
    private long _failures;

    public UpstreamForwarder(ForwardOptions options)
    {
        _options = options;
        _log = options.Log ?? (_ => { });
    }

    public IReadOnlyList<IPEndPoint> Upstreams => _options.Upstreams;

    public async ValueTask<byte[]?> ForwardAsync(ReadOnlyMemory<byte> query, DnsTransport transport, CancellationToken cancellationToken)
    {
        var upstreams = _options.Upstreams;
        if (upstreams.Count == 0 || query.Length < 12)
        {
            return null;
        }

        using var deadline = new CancellationTokenSource(_options.Deadline, _options.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var start = Volatile.Read(ref _preferred);
        for (var i = 0; i < upstreams.Count && !linked.IsCancellationRequested; i++)
        {
            var index = (start + i) % upstreams.Count;
            var upstream = upstreams[index];
            var response = await UdpAsync(upstream, query, linked.Token);
            if (response is not null && IsTruncated(response) && transport == DnsTransport.Tcp)
            {
                response = await TcpAsync(upstream, query, linked.Token) ?? response;
            }

            if (response is not null)
            {
                Volatile.Write(ref _preferred, index);
                return response;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        var failures = Interlocked.Increment(ref _failures);
        if (failures == 1 || failures % 100 == 0)
        {
            _log($"dns: no upstream answered ({string.Join(", ", upstreams)}); {failures} queries failed so far");
        }

        return null;
    }

    private async Task<byte[]?> UdpAsync(IPEndPoint upstream, ReadOnlyMemory<byte> query, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.TryTimeout, _options.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(65535);
        try
        {
            using var socket = new Socket(upstream.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            // Connected: the kernel drops datagrams from anyone else, and an ICMP port unreachable ends the try at once.
            socket.Connect(upstream);
            await socket.SendAsync(query, SocketFlags.None, linked.Token);
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, SocketFlags.None, linked.Token);
                if (IsAnswerTo(query.Span, buffer.AsSpan(0, received)))
                {
                    return buffer.AsSpan(0, received).ToArray();
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
            return null; // this try's timeout, the deadline, or the upstream refused (ICMP): the caller tries the next
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<byte[]?> TcpAsync(IPEndPoint upstream, ReadOnlyMemory<byte> query, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.TryTimeout, _options.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            using var socket = new Socket(upstream.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(upstream, linked.Token);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            var framed = new byte[query.Length + 2];
            BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
            query.Span.CopyTo(framed.AsSpan(2));
            await stream.WriteAsync(framed, linked.Token);
            var prefix = new byte[2];
            await stream.ReadExactlyAsync(prefix, linked.Token);
            var response = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
            await stream.ReadExactlyAsync(response, linked.Token);
            return IsAnswerTo(query.Span, response) ? response : null;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException)
        {
            return null;
        }
    }

    private static bool IsTruncated(ReadOnlySpan<byte> response) => (response[2] & 0x02) != 0;

    /// <summary>Same id, QR set, and the same question section (compared without case) or none (some errors carry none).</summary>
    internal static bool IsAnswerTo(ReadOnlySpan<byte> query, ReadOnlySpan<byte> response)
    {
        if (response.Length < 12 || response[0] != query[0] || response[1] != query[1] || (response[2] & 0x80) == 0)
        {
            return false;
        }

        var questions = BinaryPrimitives.ReadUInt16BigEndian(response[4..]);
        if (questions == 0)
        {
            return true;
        }

        if (questions != BinaryPrimitives.ReadUInt16BigEndian(query[4..]) || QuestionEnd(query) is not { } end || response.Length < end)
        {
            return false;
        }

        for (var i = 12; i < end; i++)
        {
            if (char.ToLowerInvariant((char)query[i]) != char.ToLowerInvariant((char)response[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Where the question section of a query ends (its names uncompressed, as queries have them), or null.</summary>
    private static int? QuestionEnd(ReadOnlySpan<byte> query)
    {
        var at = 12;
        for (var q = BinaryPrimitives.ReadUInt16BigEndian(query[4..]); q > 0; q--)
        {
            while (true)
            {
                if (at >= query.Length)
                {
                    return null;
                }

                var length = query[at];
                if (length == 0)
                {
                    at++;
                    break;
                }

                if (length > 63)
                {
                    return null;
                }

                at += 1 + length;
            }

            at += 4;
        }

        return at <= query.Length ? at : null;
    }
}
