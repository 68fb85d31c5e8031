using System.Net;
using System.Net.Sockets;
using Korral.Dns.Cluster;
using Korral.Dns.Forwarding;
using Korral.Dns.Zone;

namespace Korral.Dns.Server;

/// <summary>
/// The cluster DNS server: UDP and TCP (RFC 7766) on every listen endpoint, the cluster zone answered from
/// <see cref="IDnsRecords"/>, every other name forwarded to the node's upstream resolvers. Runs until disposed or until
/// the token given to <see cref="StartAsync"/> is cancelled.
/// </summary>
public sealed partial class DnsServer : IAsyncDisposable
{
    private readonly DnsServerOptions _options;
    private readonly DnsQueryHandler _handler;
    private readonly Action<string> _log;
    private readonly CancellationTokenSource _stop;
    private readonly List<Socket> _sockets = [];
    private readonly List<Task> _loops = [];
    private readonly Lock _pendingLock = new();
    private readonly HashSet<Task> _pending = [];
    private int _tcpConnections;
    private int _disposed;

    private DnsServer(DnsServerOptions options, DnsQueryHandler handler, IReadOnlyList<IPEndPoint> upstreams, CancellationToken cancellationToken)
    {
        _options = options;
        _handler = handler;
        Upstreams = upstreams;
        _log = options.Log ?? (_ => { });
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    public IReadOnlyList<IPEndPoint> UdpEndpoints { get; private set; } = [];

    public IReadOnlyList<IPEndPoint> TcpEndpoints { get; private set; } = [];

    /// <summary>The resolvers names outside the zone go to (after dropping any that would be this server).</summary>
    public IReadOnlyList<IPEndPoint> Upstreams { get; }

    /// <summary>Binds every listen endpoint (UDP and TCP) and starts serving; throws if an endpoint cannot be bound.</summary>
    public static Task<DnsServer> StartAsync(DnsServerOptions options, IDnsRecords records, CancellationToken cancellationToken)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid DNS server options:\n  " + string.Join("\n  ", errors), nameof(options));
        }

        var sockets = Bind(options.Listen);
        try
        {
            var udp = sockets.Select(s => (IPEndPoint)s.Udp.LocalEndPoint!).ToList();
            var configured = options.Upstreams ?? UpstreamResolvers.FromResolvConf(options.ResolvConf);
            var upstreams = UpstreamResolvers.WithoutLoops(configured, udp);
            var log = options.Log ?? (_ => { });
            if (upstreams.Count < configured.Count)
            {
                log($"dns: not forwarding to {string.Join(", ", configured.Except(upstreams))}: that is this server (it would loop)");
            }

            if (upstreams.Count == 0)
            {
                log("dns: no upstream resolvers; names outside the cluster zone get SERVFAIL");
            }

            var forwarder = new UpstreamForwarder(new ForwardOptions
            {
                Upstreams = upstreams,
                TryTimeout = options.UpstreamTimeout,
                Deadline = options.ForwardDeadline,
                Time = options.Time,
                Log = options.Log,
            });
            var handler = new DnsQueryHandler(new ClusterZone(records, options.ZoneOptions), forwarder, options.MaxUdpSize, options.MaxConcurrentForwards);
            var server = new DnsServer(options, handler, upstreams, cancellationToken)
            {
                UdpEndpoints = udp,
                TcpEndpoints = sockets.Select(s => (IPEndPoint)s.Tcp.LocalEndPoint!).ToList(),
            };
            foreach (var (udpSocket, tcpSocket) in sockets)
            {
                server._sockets.Add(udpSocket);
                server._sockets.Add(tcpSocket);
                for (var i = 0; i < options.UdpReceivers; i++)
                {
                    server._loops.Add(Task.Run(() => server.ReceiveUdpAsync(udpSocket, server._stop.Token)));
                }

                server._loops.Add(Task.Run(() => server.AcceptTcpAsync(tcpSocket, server._stop.Token)));
            }

            log($"dns: serving {options.Zone} on {string.Join(", ", udp)} (udp+tcp), forwarding to {(upstreams.Count == 0 ? "nothing" : string.Join(", ", upstreams))}");
            return Task.FromResult(server);
        }
        catch
        {
            foreach (var (udpSocket, tcpSocket) in sockets)
            {
                udpSocket.Dispose();
                tcpSocket.Dispose();
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }

        await Task.WhenAll(_loops);
        Task[] pending;
        lock (_pendingLock)
        {
            pending = [.. _pending];
        }

        await Task.WhenAll(pending);
        _stop.Dispose();
    }

    /// <summary>A UDP and a TCP socket per endpoint, on the same port; port 0 takes a port free for both.</summary>
    private static List<(Socket Udp, Socket Tcp)> Bind(IReadOnlyList<IPEndPoint> endpoints)
    {
        var bound = new List<(Socket, Socket)>();
        try
        {
            foreach (var endpoint in endpoints)
            {
                for (var attempt = 1; ; attempt++)
                {
                    var udp = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                    Socket? tcp = null;
                    try
                    {
                        // [::] serves IPv6 only, so that 0.0.0.0 and [::] can both be listed (Linux would otherwise map v4 into v6).
                        V6Only(udp);
                        udp.Bind(endpoint);
                        tcp = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                        V6Only(tcp);
                        tcp.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                        tcp.Bind(new IPEndPoint(endpoint.Address, ((IPEndPoint)udp.LocalEndPoint!).Port));
                        tcp.Listen(512);
                        bound.Add((udp, tcp));
                        break;
                    }
                    catch (SocketException) when (endpoint.Port == 0 && attempt < 20)
                    {
                        // The UDP port picked by the kernel is taken for TCP: pick again.
                        udp.Dispose();
                        tcp?.Dispose();
                    }
                    catch
                    {
                        udp.Dispose();
                        tcp?.Dispose();
                        throw;
                    }
                }
            }

            return bound;
        }
        catch
        {
            foreach (var (udp, tcp) in bound)
            {
                udp.Dispose();
                tcp.Dispose();
            }

            throw;
        }
    }

    private static void V6Only(Socket socket)
    {
        if (socket.AddressFamily == AddressFamily.InterNetworkV6)
        {
            socket.DualMode = false;
        }
    }

    private void Track(Task task)
    {
        lock (_pendingLock)
        {
            _pending.Add(task);
        }

        task.ContinueWith(
            static (t, state) =>
            {
                var server = (DnsServer)state!;
                lock (server._pendingLock)
                {
                    server._pending.Remove(t);
                }
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }
}
