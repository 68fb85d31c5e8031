using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Korral.Kubelet.Tests.Probes;

/// <summary>
/// An HTTP/1.1 server by hand on a loopback port, for what a probe puts on the wire: it keeps every request head it reads
/// and answers each with what <see cref="Respond"/> returns for that head (null: never answer). One request per
/// connection, as the prober sends Connection: close.
/// </summary>
public sealed class RawHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _heads = new();
    private readonly Task _loop;

    public RawHttpServer(Func<string, string?> respond)
    {
        Respond = respond;
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public Func<string, string?> Respond { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The request heads read so far (request line and headers), in order.</summary>
    public IReadOnlyList<string> Heads => [.. _heads];

    /// <summary>A complete response with a body and Connection: close.</summary>
    public static string Response(int status, string body = "", params string[] headers) =>
        $"HTTP/1.1 {status} X\r\n{string.Concat(headers.Select(h => h + "\r\n"))}Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";

    /// <summary>The path of a request head's request line.</summary>
    public static string PathOf(string head) => head.Split(' ', 3)[1];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _listener.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = new StringBuilder();
                var buffer = new byte[4096];
                while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                var text = head.ToString();
                _heads.Enqueue(text);
                if (Respond(text) is not { } response)
                {
                    // Never answer: hold the connection until the prober gives up or the server stops.
                    while (await stream.ReadAsync(buffer, _stop.Token) > 0)
                    {
                    }

                    return;
                }

                await stream.WriteAsync(Encoding.UTF8.GetBytes(response), _stop.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
            {
                // The prober hung up (its timeout) or the server stops.
            }
        }
    }
}
