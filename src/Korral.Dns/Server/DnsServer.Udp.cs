using System.Net;
using System.Net.Sockets;
using Korral.Dns.Forwarding;

namespace Korral.Dns.Server;

public sealed partial class DnsServer
{
    private const int DnsMessageBuffer = 65535;

    /// <summary>
    /// One receive loop: cluster names are answered before the next receive; a query that waits for an upstream is
    /// finished on its own task, so a slow upstream never holds up the loop.
    /// </summary>
    private async Task ReceiveUdpAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[DnsMessageBuffer];
        EndPoint any = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                _log($"dns: udp receive on {socket.LocalEndPoint}: {e.SocketErrorCode}");
                continue;
            }

            var client = received.RemoteEndPoint;
            ValueTask<byte[]?> pending;
            try
            {
                pending = _handler.HandleAsync(buffer.AsMemory(0, received.ReceivedBytes), DnsTransport.Udp, cancellationToken);
            }
            catch (Exception e)
            {
                _log($"dns: answering {client}: {e}");
                continue;
            }
            if (pending.IsCompletedSuccessfully)
            {
                if (pending.Result is { } response)
                {
                    await SendUdpAsync(socket, response, client, cancellationToken);
                }
            }
            else
            {
                Track(CompleteUdpAsync(socket, pending, client, cancellationToken));
            }
        }
    }

    private async Task CompleteUdpAsync(Socket socket, ValueTask<byte[]?> pending, EndPoint client, CancellationToken cancellationToken)
    {
        try
        {
            if (await pending is { } response)
            {
                await SendUdpAsync(socket, response, client, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _log($"dns: answering {client}: {e}");
        }
    }

    private async ValueTask SendUdpAsync(Socket socket, byte[] response, EndPoint client, CancellationToken cancellationToken)
    {
        try
        {
            await socket.SendToAsync(response, SocketFlags.None, client, cancellationToken);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
        }
        catch (SocketException e)
        {
            _log($"dns: udp send to {client}: {e.SocketErrorCode}");
        }
    }
}
