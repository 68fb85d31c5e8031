using System.Net;
using System.Net.Sockets;
using Korral.Proxy.Iptables;
using Korral.Proxy.Sync;
using Korral.Proxy.Tests.Fixtures;
using static Korral.Proxy.Tests.Fixtures.Objects;

namespace Korral.Proxy.Tests.Netns;

/// <summary>
/// A UDP client keeps its conntrack entry (and so its endpoint) for as long as it keeps sending; when the endpoint leaves
/// the service, the sync deletes that entry and the next datagram goes to the endpoint that is left.
/// </summary>
public sealed class UdpConntrackNetnsTests
{
    [NetnsFact(Needs = "/usr/sbin/conntrack")]
    public async Task AUdpClientMovesToTheRemainingEndpointWhenItsEndpointIsRemoved()
    {
        await using var netns = await PrivateNetns.StartAsync();
        using var stop = new CancellationTokenSource();
        var servers = new List<Task>();
        var sockets = new List<Socket>();
        foreach (var pod in new[] { "10.244.1.5", "10.244.1.6" })
        {
            (await netns.RunAsync("ip", "addr", "add", $"{pod}/32", "dev", "lo")).EnsureSuccess();
            var socket = await netns.SocketAsync(SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.Parse(pod), 5353));
            sockets.Add(socket);
            servers.Add(EchoIdAsync(socket, (byte)pod[^1], stop.Token));
        }

        var source = new MemorySource();
        var dns = Service("dns", "10.96.0.10", Port("dns", 53, 5353, "UDP"));
        source.Set(dns, Slice("dns", "dns-1", [SlicePort("dns", 5353, "UDP")], Ready("10.244.1.5")));
        var syncer = new ProxySyncer(new ProxyOptions { NodeName = ThisNode, ClusterCidr = "10.244.0.0/16", ServiceCidr = "10.96.0.0/12" },
            new IptablesClient(netns.Runner), new Host.HostNetwork(netns.Runner, _ => { }));
        await syncer.SyncAsync(source, CancellationToken.None);

        using var client = await netns.SocketAsync(SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Any, 0));
        Assert.Equal('5', await AskAsync(client));
        Assert.Equal('5', await AskAsync(client));

        syncer.MarkChanged(source.Set(dns, Slice("dns", "dns-1", [SlicePort("dns", 5353, "UDP")], Ready("10.244.1.6"))));
        await syncer.SyncAsync(source, CancellationToken.None);

        // Same client port: without the deletion its conntrack entry would still lead to 10.244.1.5, which still answers.
        Assert.Equal('6', await AskAsync(client));

        await stop.CancelAsync();
        foreach (var socket in sockets)
        {
            socket.Dispose();
        }

        await Task.WhenAll(servers);
    }

    private static async Task<char> AskAsync(Socket client)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await client.SendToAsync(new byte[] { (byte)'?' }, SocketFlags.None, new IPEndPoint(IPAddress.Parse("10.96.0.10"), 53), timeout.Token);
        var buffer = new byte[16];
        var received = await client.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        Assert.Equal(1, received);
        return (char)buffer[0];
    }

    private static async Task EchoIdAsync(Socket socket, byte id, CancellationToken cancellationToken)
    {
        var buffer = new byte[16];
        try
        {
            while (true)
            {
                var request = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cancellationToken);
                await socket.SendToAsync(new[] { id }, SocketFlags.None, request.RemoteEndPoint, cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }
}
