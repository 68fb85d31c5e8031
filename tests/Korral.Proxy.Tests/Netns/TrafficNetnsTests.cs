using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Korral.Api.Models.CoreV1;
using Korral.Proxy.Host;
using Korral.Proxy.Iptables;
using Korral.Proxy.Sync;
using Korral.Proxy.Tests.Fixtures;
using static Korral.Proxy.Tests.Fixtures.Objects;

namespace Korral.Proxy.Tests.Netns;

/// <summary>
/// Real connections through the rules, inside a private namespace: two "pods" are listeners on addresses of the
/// namespace's loopback, clients connect to cluster IPs, a node port on 127.0.0.1, a service without endpoints and an
/// unassigned cluster IP.
/// </summary>
public sealed class TrafficNetnsTests : IAsyncLifetime
{
    private const string PodA = "10.244.1.5";
    private const string PodB = "10.244.1.6";
    private const string LoadBalancerIP = "192.0.2.10";
    private const string Outsider = "10.250.0.1";
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _listeners = [];
    private readonly List<Task> _servers = [];
    private PrivateNetns? _netns;

    private PrivateNetns Netns => _netns!;

    public async Task InitializeAsync()
    {
        if (!PrivateNetns.Available)
        {
            return;
        }

        _netns = await PrivateNetns.StartAsync();
        foreach (var pod in new[] { PodA, PodB })
        {
            (await Netns.RunAsync("ip", "addr", "add", $"{pod}/32", "dev", "lo")).EnsureSuccess();
            var listener = await Netns.SocketAsync(SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Parse(pod), 8080));
            listener.Listen(64);
            _listeners.Add(listener);
            _servers.Add(ServeAsync(listener, pod[^1], _stop.Token));
        }

        var source = new MemorySource();
        source.Set(Service("web", "10.96.0.10", Port("http", 80, 8080, nodePort: 30080)).With(s => s.Type = "NodePort"),
            Slice("web", "web-x1", [SlicePort("http", 8080)], Ready(PodA), Ready(PodB)));
        source.Set(Service("sticky", "10.96.0.12").With(s => { s.SessionAffinity = "ClientIP"; s.SessionAffinityConfig = new SessionAffinityConfig { ClientIP = new ClientIPConfig { TimeoutSeconds = 60 } }; }),
            Slice("sticky", Ready(PodA), Ready(PodB)));
        source.Set(Service("empty", "10.96.0.11"), Slice("empty", "empty-x1", [], []));
        // A load balancer on an address of the namespace, open only to 10.244.1.0/24.
        foreach (var address in new[] { LoadBalancerIP, Outsider })
        {
            (await Netns.RunAsync("ip", "addr", "add", $"{address}/32", "dev", "lo")).EnsureSuccess();
        }

        source.Set(Service("lb", "10.96.0.13", Port("http", 80, 8080, nodePort: 30081))
                .With(s => { s.Type = "LoadBalancer"; s.LoadBalancerSourceRanges = ["10.244.1.0/24"]; })
                .WithIngress(LoadBalancerIP),
            Slice("lb", "lb-x1", [SlicePort("http", 8080)], Ready(PodA)));
        var options = new ProxyOptions { NodeName = ThisNode, ClusterCidr = "10.244.0.0/16", ServiceCidr = "10.96.0.0/12" };
        var host = new HostNetwork(Netns.Runner, _ => { });
        // bridge-nf-call-iptables is the host's (br_netfilter), not per namespace: only its warning may come back.
        Assert.DoesNotContain(await host.EnsureSysctlsAsync(localhostNodePorts: true, CancellationToken.None), p => !p.Contains("bridge-nf", StringComparison.Ordinal));
        await new ProxySyncer(options, new IptablesClient(Netns.Runner), host).SyncAsync(source, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var listener in _listeners)
        {
            listener.Dispose();
        }

        await Task.WhenAll(_servers);
        if (_netns is not null)
        {
            await _netns.DisposeAsync();
        }
    }

    [NetnsFact]
    public async Task ClusterIPSpreadsConnectionsOverReadyEndpoints()
    {
        var seen = new HashSet<char>();
        for (var i = 0; i < 40 && seen.Count < 2; i++)
        {
            seen.Add(await AnswerAsync("10.96.0.10", 80));
        }

        // With probability 1/2 per connection, 40 connections reach both endpoints except once in 2^39.
        Assert.Equal(['5', '6'], seen.Order());
    }

    [NetnsFact]
    public async Task ClientIPAffinityKeepsAClientOnOneEndpoint()
    {
        var first = await AnswerAsync("10.96.0.12", 80);
        for (var i = 0; i < 15; i++)
        {
            Assert.Equal(first, await AnswerAsync("10.96.0.12", 80));
        }
    }

    [NetnsFact]
    public async Task NodePortAnswersOnLocalhost()
    {
        Assert.Contains(await AnswerAsync("127.0.0.1", 30080), "56");
    }

    [NetnsFact]
    public async Task ServiceWithoutEndpointsRefusesAtOnce()
    {
        await AssertRefusedAsync("10.96.0.11", 80);
    }

    [NetnsFact]
    public async Task UnassignedClusterIPRefusesAtOnce()
    {
        await AssertRefusedAsync("10.96.0.99", 80);
        // A port the service does not have is no better.
        await AssertRefusedAsync("10.96.0.10", 81);
    }

    [NetnsFact]
    public async Task LoadBalancerSourceRangesAdmitOnlyTheirSources()
    {
        Assert.Equal('5', await AnswerAsync(LoadBalancerIP, 80, from: PodB));

        using var client = await Netns.SocketAsync(SocketType.Stream, ProtocolType.Tcp);
        client.Bind(new IPEndPoint(IPAddress.Parse(Outsider), 0));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        // Dropped, not rejected: the connection attempt gets no answer at all.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await client.ConnectAsync(IPAddress.Parse(LoadBalancerIP), 80, timeout.Token));
    }

    private async Task AssertRefusedAsync(string ip, int port)
    {
        using var client = await Netns.SocketAsync(SocketType.Stream, ProtocolType.Tcp);
        var elapsed = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var error = await Assert.ThrowsAsync<SocketException>(async () => await client.ConnectAsync(IPAddress.Parse(ip), port, timeout.Token));
        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(1), $"refused after {elapsed.Elapsed}");
    }

    /// <summary>Connects and reads the one byte the answering pod sends: the last digit of its address.</summary>
    private async Task<char> AnswerAsync(string ip, int port, string? from = null)
    {
        using var client = await Netns.SocketAsync(SocketType.Stream, ProtocolType.Tcp);
        if (from is not null)
        {
            client.Bind(new IPEndPoint(IPAddress.Parse(from), 0));
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await client.ConnectAsync(IPAddress.Parse(ip), port, timeout.Token);
        var buffer = new byte[1];
        Assert.Equal(1, await client.ReceiveAsync(buffer, SocketFlags.None, timeout.Token));
        return (char)buffer[0];
    }

    private static async Task ServeAsync(Socket listener, char id, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                using var connection = await listener.AcceptAsync(cancellationToken);
                await connection.SendAsync(new[] { (byte)id }, SocketFlags.None, cancellationToken);
                connection.Shutdown(SocketShutdown.Both);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }
}
