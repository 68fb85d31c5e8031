using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Korral.Dns.Forwarding;
using Korral.Dns.Wire;

namespace Korral.Bench.Dns;

/// <summary>
/// Closed-loop load: each client keeps one query outstanding (send, wait for the answer with its id, record the time,
/// next), so the rate is what the server sustains at that concurrency and the latency is the time a stub resolver waits.
/// Queries are encoded before the run; a lost UDP answer counts as a timeout after 1 s.
/// </summary>
public static class LoadGenerator
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(1);

    public static async Task<LoadResult> RunAsync(Scenario scenario, IPEndPoint server, int clients, TimeSpan duration, CancellationToken cancellationToken)
    {
        var queries = Enumerable.Range(0, 4096).Select(n =>
        {
            var (name, type) = scenario.Question(n);
            var query = new DnsMessage { Id = (ushort)n, RecursionDesired = true, Edns = scenario.EdnsSize is { } size ? new EdnsOptions(size) : null };
            query.Questions.Add(new DnsQuestion(name, type));
            return query.Encode();
        }).ToArray();

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var started = Stopwatch.GetTimestamp();
        stop.CancelAfter(duration);
        var runs = Enumerable.Range(0, clients)
            .Select(c => Task.Run(() => scenario.Transport == DnsTransport.Udp
                ? UdpClientAsync(server, queries, c, stop.Token)
                : TcpClientAsync(server, queries, c, stop.Token)))
            .ToArray();
        var results = await Task.WhenAll(runs);
        var elapsed = Stopwatch.GetElapsedTime(started);
        return LoadResult.Combine(scenario, results, elapsed);
    }

    private static async Task<ClientResult> UdpClientAsync(IPEndPoint server, byte[][] queries, int client, CancellationToken cancellationToken)
    {
        var result = new ClientResult();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(server);
        var buffer = new byte[65535];
        var n = client * 7919;
        while (!cancellationToken.IsCancellationRequested)
        {
            var query = queries[n++ % queries.Length];
            var sent = Stopwatch.GetTimestamp();
            try
            {
                await socket.SendAsync(query, SocketFlags.None, cancellationToken);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(QueryTimeout);
                while (true)
                {
                    var received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                    if (received >= 12 && buffer[0] == query[0] && buffer[1] == query[1])
                    {
                        result.Record(Stopwatch.GetElapsedTime(sent), buffer[3] & 0xF, (buffer[2] & 0x02) != 0);
                        break;
                    }
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                result.Timeouts++;
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return result;
    }

    private static async Task<ClientResult> TcpClientAsync(IPEndPoint server, byte[][] queries, int client, CancellationToken cancellationToken)
    {
        var result = new ClientResult();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server, cancellationToken);
        await using var stream = new NetworkStream(socket);
        var prefix = new byte[2];
        var n = client * 7919;
        var framed = queries.Select(q =>
        {
            var f = new byte[q.Length + 2];
            BinaryPrimitives.WriteUInt16BigEndian(f, (ushort)q.Length);
            q.CopyTo(f, 2);
            return f;
        }).ToArray();
        var buffer = new byte[65535];
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var query = framed[n++ % framed.Length];
                var sent = Stopwatch.GetTimestamp();
                await stream.WriteAsync(query, cancellationToken);
                await stream.ReadExactlyAsync(prefix, cancellationToken);
                var length = BinaryPrimitives.ReadUInt16BigEndian(prefix);
                await stream.ReadExactlyAsync(buffer.AsMemory(0, length), cancellationToken);
                result.Record(Stopwatch.GetElapsedTime(sent), buffer[3] & 0xF, false);
            }
        }
        catch (OperationCanceledException)
        {
        }

        return result;
    }
}
