using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Korral.Kubelet.Tests.Streaming;

/// <summary>
/// Stands in for containerd's streaming server on 127.0.0.1: records each request head it gets and answers every one
/// with <see cref="Answer"/> (a whole HTTP response), then closes the connection.
/// </summary>
public sealed class FakeStreamingServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly Task _loop;

    public FakeStreamingServer()
    {
        _listener.Start();
        _loop = ServeAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The response written to every request.</summary>
    public string Answer { get; set; } = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";

    /// <summary>The request heads received (request line and headers, CRLF-separated).</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    private async Task ServeAsync()
    {
        try
        {
            while (true)
            {
                using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var stream = client.GetStream();
                var head = new StringBuilder();
                var buffer = new byte[4096];
                while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var n = await stream.ReadAsync(buffer, _stop.Token);
                    if (n == 0)
                    {
                        break;
                    }

                    head.Append(Encoding.Latin1.GetString(buffer, 0, n));
                }

                _requests.Enqueue(head.ToString().Split("\r\n\r\n")[0]);
                await stream.WriteAsync(Encoding.UTF8.GetBytes(Answer), _stop.Token);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}
