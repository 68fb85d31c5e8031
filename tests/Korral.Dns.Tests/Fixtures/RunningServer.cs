using System.Net;
using Korral.Dns.Cluster;
using Korral.Dns.Server;

namespace Korral.Dns.Tests.Fixtures;

/// <summary>A <see cref="DnsServer"/> on a random loopback port, logging into memory, stopped on dispose.</summary>
public sealed class RunningServer : IAsyncDisposable
{
    private readonly List<string> _log = [];

    private RunningServer(DnsServer server) => Server = server;

    public DnsServer Server { get; }

    public IPEndPoint Udp => Server.UdpEndpoints[0];

    public IPEndPoint Tcp => Server.TcpEndpoints[0];

    public static async Task<RunningServer> StartAsync(IDnsRecords records, IReadOnlyList<IPEndPoint>? upstreams = null,
        Func<DnsServerOptions, DnsServerOptions>? configure = null)
    {
        var log = new List<string>();
        var options = new DnsServerOptions
        {
            Listen = [new IPEndPoint(IPAddress.Loopback, 0)],
            Upstreams = upstreams ?? [],
            NameserverAddresses = [IPAddress.Parse("10.96.0.10")],
            UpstreamTimeout = TimeSpan.FromMilliseconds(500),
            ForwardDeadline = TimeSpan.FromSeconds(2),
            Log = line =>
            {
                lock (log)
                {
                    log.Add(line);
                }
            },
        };
        var server = await DnsServer.StartAsync(configure?.Invoke(options) ?? options, records, CancellationToken.None);
        var running = new RunningServer(server);
        running._log.AddRange(log);
        return running;
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
