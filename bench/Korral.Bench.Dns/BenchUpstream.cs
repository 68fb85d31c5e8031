using System.Net;
using System.Net.Sockets;
using Korral.Dns.Wire;

namespace Korral.Bench.Dns;

/// <summary>
/// The upstream resolver of the forward scenario: UDP on loopback, answering every query with one A record at once,
/// so that what is measured is the forwarding path of the server, not a resolver.
/// </summary>
public sealed class BenchUpstream : IAsyncDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _loops;

    public BenchUpstream()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Endpoint = (IPEndPoint)_socket.LocalEndPoint!;
        _loops = [Task.Run(LoopAsync), Task.Run(LoopAsync)];
    }

    public IPEndPoint Endpoint { get; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        await Task.WhenAll(_loops);
    }

    private async Task LoopAsync()
    {
        var buffer = new byte[65535];
        var answer = IPAddress.Parse("192.0.2.1");
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var query = DnsMessage.Decode(buffer.AsSpan(0, received.ReceivedBytes));
            var response = DnsMessage.ResponseTo(query);
            response.RecursionAvailable = true;
            response.Answers.Add(DnsRecord.A(query.Questions[0].Name, 300, answer));
            try
            {
                await _socket.SendToAsync(response.Encode(), SocketFlags.None, received.RemoteEndPoint);
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException)
            {
                return;
            }
        }
    }
}
