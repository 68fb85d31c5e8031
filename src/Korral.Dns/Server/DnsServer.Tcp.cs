using System.Buffers.Binary;
using System.Net.Sockets;
using Korral.Dns.Forwarding;

namespace Korral.Dns.Server;

public sealed partial class DnsServer
{
    private async Task AcceptTcpAsync(Socket listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await listener.AcceptAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                _log($"dns: tcp accept on {listener.LocalEndPoint}: {e.SocketErrorCode}");
                continue;
            }

            if (Interlocked.Increment(ref _tcpConnections) > _options.MaxTcpConnections)
            {
                Interlocked.Decrement(ref _tcpConnections);
                connection.Dispose();
                continue;
            }

            Track(ServeTcpAsync(connection, cancellationToken));
        }
    }

    /// <summary>
    /// Length-prefixed queries one after another on one connection (RFC 1035 §4.2.2, RFC 7766), until the client closes
    /// it, sends something that gets no answer, or stays idle for <see cref="DnsServerOptions.TcpIdleTimeout"/>.
    /// </summary>
    private async Task ServeTcpAsync(Socket connection, CancellationToken cancellationToken)
    {
        var client = connection.RemoteEndPoint;
        try
        {
            connection.NoDelay = true;
            await using var stream = new NetworkStream(connection, ownsSocket: true);
            var prefix = new byte[2];
            while (!cancellationToken.IsCancellationRequested)
            {
                using (var idle = new CancellationTokenSource(_options.TcpIdleTimeout, _options.Time))
                using (var linked = CancellationTokenSource.CreateLinkedTokenSource(idle.Token, cancellationToken))
                {
                    if (await stream.ReadAtLeastAsync(prefix, 2, throwOnEndOfStream: false, linked.Token) < 2)
                    {
                        return;
                    }
                }

                var request = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
                using (var idle = new CancellationTokenSource(_options.TcpIdleTimeout, _options.Time))
                using (var linked = CancellationTokenSource.CreateLinkedTokenSource(idle.Token, cancellationToken))
                {
                    await stream.ReadExactlyAsync(request, linked.Token);
                }

                if (await _handler.HandleAsync(request, DnsTransport.Tcp, cancellationToken) is not { } response)
                {
                    return;
                }

                var framed = new byte[response.Length + 2];
                BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)response.Length);
                response.CopyTo(framed, 2);
                await stream.WriteAsync(framed, cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // Idle, closed mid-message, or the server stopping: the connection just ends.
        }
        catch (Exception e)
        {
            _log($"dns: tcp connection from {client}: {e}");
        }
        finally
        {
            connection.Dispose();
            Interlocked.Decrement(ref _tcpConnections);
        }
    }
}
