using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Korral.Dns.Forwarding;
using Korral.Dns.Wire;

namespace Korral.Dns.Tests.Fixtures;

/// <summary>
/// An upstream resolver on loopback (UDP and TCP on one port) that answers by a delegate; a null answer stays silent,
/// as a dead resolver does. Counts what it was asked over each transport.
/// </summary>
public sealed class FakeUpstream : IAsyncDisposable
{
    private readonly Func<DnsMessage, DnsTransport, DnsMessage?> _respond;
    private readonly Socket _udp;
    private readonly TcpListener _tcp;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _udpLoop;
    private readonly Task _tcpLoop;
    private int _udpQueries;
    private int _tcpQueries;

    private FakeUpstream(Func<DnsMessage, DnsTransport, DnsMessage?> respond, Socket udp, TcpListener tcp)
    {
        _respond = respond;
        _udp = udp;
        _tcp = tcp;
        Endpoint = (IPEndPoint)udp.LocalEndPoint!;
        _udpLoop = Task.Run(UdpLoopAsync);
        _tcpLoop = Task.Run(TcpLoopAsync);
    }

    public IPEndPoint Endpoint { get; }

    public int UdpQueries => Volatile.Read(ref _udpQueries);

    public int TcpQueries => Volatile.Read(ref _tcpQueries);

    public static FakeUpstream Start(Func<DnsMessage, DnsTransport, DnsMessage?> respond)
    {
        for (var attempt = 1; ; attempt++)
        {
            var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var tcp = new TcpListener(IPAddress.Loopback, ((IPEndPoint)udp.LocalEndPoint!).Port);
            try
            {
                tcp.Start();
                return new FakeUpstream(respond, udp, tcp);
            }
            catch (SocketException) when (attempt < 20)
            {
                udp.Dispose();
            }
        }
    }

    /// <summary>An upstream that answers every A query with <paramref name="address"/> and the rest with NODATA.</summary>
    public static FakeUpstream Answering(IPAddress address) => Start((query, _) =>
    {
        var response = DnsMessage.ResponseTo(query);
        response.RecursionAvailable = true;
        var q = query.Questions[0];
        if (q.Type == DnsType.A)
        {
            response.Answers.Add(DnsRecord.A(q.Name, 300, address));
        }

        return response;
    });

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        _tcp.Stop();
        await Task.WhenAll(_udpLoop, _tcpLoop);
        _stop.Dispose();
    }

    private async Task UdpLoopAsync()
    {
        var buffer = new byte[65535];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            Interlocked.Increment(ref _udpQueries);
            var query = DnsMessage.Decode(buffer.AsSpan(0, received.ReceivedBytes));
            if (_respond(query, DnsTransport.Udp) is { } response)
            {
                var size = query.Edns?.UdpPayloadSize ?? 512;
                await _udp.SendToAsync(response.Encode(Math.Max((int)size, 512)), SocketFlags.None, received.RemoteEndPoint);
            }
        }
    }

    private async Task TcpLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _tcp.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            using (client)
            {
                try
                {
                    var stream = client.GetStream();
                    var prefix = new byte[2];
                    await stream.ReadExactlyAsync(prefix, _stop.Token);
                    var request = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
                    await stream.ReadExactlyAsync(request, _stop.Token);
                    Interlocked.Increment(ref _tcpQueries);
                    if (_respond(DnsMessage.Decode(request), DnsTransport.Tcp) is { } response)
                    {
                        var bytes = response.Encode();
                        var framed = new byte[bytes.Length + 2];
                        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)bytes.Length);
                        bytes.CopyTo(framed, 2);
                        await stream.WriteAsync(framed, _stop.Token);
                    }
                }
                catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
                {
                }
            }
        }
    }
}
