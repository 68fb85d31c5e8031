using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Korral.Bench.Ingress;

/// <summary>
/// Closed-loop HTTP/1.1 load: each connection sends GET, reads the whole response (Content-Length framed), sends the
/// next. Raw sockets and one reused buffer per connection, so the client costs as little CPU as it can on the cores it
/// shares with the servers.
/// </summary>
internal static class LoadGenerator
{
    public static async Task<LoadResult> RunAsync(int port, string host, int connections, TimeSpan warmup, TimeSpan duration, CancellationToken cancellationToken)
    {
        var request = Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {host}\r\nUser-Agent: korral-bench\r\nAccept: */*\r\n\r\n");
        var measuring = new Flag();
        var stop = new CancellationTokenSource();
        var loops = Enumerable.Range(0, connections).Select(_ => Task.Run(() => LoopAsync(port, request, measuring, stop.Token), CancellationToken.None)).ToList();
        await Task.Delay(warmup, cancellationToken);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        measuring.On = true;
        await Task.Delay(duration, cancellationToken);
        measuring.On = false;
        var elapsed = clock.Elapsed;
        var clientCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        await stop.CancelAsync();
        var results = await Task.WhenAll(loops);
        var latencies = results.SelectMany(r => r.Latencies).Order().ToArray();
        return new LoadResult(connections, latencies.Length, results.Sum(r => r.Errors), elapsed, clientCpu,
            Percentile(latencies, 0.50), Percentile(latencies, 0.99), results.FirstOrDefault(r => r.Status.Length > 0)?.Status ?? "");
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private static async Task<LoopResult> LoopAsync(int port, byte[] request, Flag measuring, CancellationToken cancellationToken)
    {
        var latencies = new List<double>(100_000);
        var errors = 0;
        var status = "";
        var buffer = new byte[64 * 1024];
        while (!cancellationToken.IsCancellationRequested)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
                while (!cancellationToken.IsCancellationRequested)
                {
                    var started = Stopwatch.GetTimestamp();
                    await socket.SendAsync(request, SocketFlags.None, cancellationToken);
                    var line = await ReadResponseAsync(socket, buffer, cancellationToken);
                    if (measuring.On)
                    {
                        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }

                    status = line.Status;
                    if (!line.Status.StartsWith("HTTP/1.1 200", StringComparison.Ordinal))
                    {
                        errors++;
                    }

                    if (line.Close)
                    {
                        // keepalive_requests reached: nginx said so, this is not an error; open the next connection.
                        break;
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception e) when (e is SocketException or IOException or InvalidDataException)
            {
                errors++;
            }
        }

        return new LoopResult(latencies, errors, status);
    }

    /// <summary>Reads one response; returns its status line and whether the server closes the connection after it.</summary>
    private static async Task<(string Status, bool Close)> ReadResponseAsync(Socket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        int headerEnd;
        while ((headerEnd = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
        {
            filled += await Receive(socket, buffer, filled, cancellationToken);
        }

        var headers = Encoding.ASCII.GetString(buffer, 0, headerEnd);
        var length = 0;
        var close = false;
        foreach (var header in headers.Split("\r\n"))
        {
            if (header.Equals("Connection: close", StringComparison.OrdinalIgnoreCase))
            {
                close = true;
            }

            if (header.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(header.AsSpan(15).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (header.StartsWith("Transfer-Encoding:", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidDataException("chunked responses are not expected here");
            }
        }

        var body = filled - (headerEnd + 4);
        while (body < length)
        {
            body += await Receive(socket, buffer, 0, cancellationToken);
        }

        return (headers[..headers.IndexOf("\r\n", StringComparison.Ordinal)], close);
    }

    private static async Task<int> Receive(Socket socket, byte[] buffer, int offset, CancellationToken cancellationToken)
    {
        var read = await socket.ReceiveAsync(buffer.AsMemory(offset), SocketFlags.None, cancellationToken);
        return read > 0 ? read : throw new IOException("connection closed");
    }

    private sealed record LoopResult(List<double> Latencies, int Errors, string Status);

    private sealed class Flag
    {
        public volatile bool On;
    }
}

/// <summary>One phase's figures.</summary>
internal sealed record LoadResult(int Connections, int Requests, int Errors, TimeSpan Elapsed, TimeSpan ClientCpu, double P50Ms, double P99Ms, string LastStatus)
{
    public double PerSecond => Requests / Elapsed.TotalSeconds;
}
