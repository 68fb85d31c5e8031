using System.Net;
using System.Net.Sockets;
using System.Text;
using Korral.Proxy.Host;
using Korral.Proxy.Iptables;
using Korral.Proxy.Sync;
using Korral.Proxy.Tests.Fixtures;
using static Korral.Proxy.Tests.Fixtures.Objects;

namespace Korral.Proxy.Tests.Netns;

/// <summary>
/// Hairpin: a pod reaching its own service lands on itself. A "node" namespace with a bridge and a "pod" namespace on a
/// veth behind it (hairpin mode on, as the CNI bridge plugin sets it); the pod connects to a cluster IP whose only endpoint
/// is the pod. Without the masquerade of the SEP chain the pod would receive a packet from its own address and the
/// connection would never complete.
/// </summary>
public sealed class HairpinNetnsTests
{
    [NetnsFact]
    public async Task APodReachesItselfThroughItsServiceMasqueradedAsTheNode()
    {
        await using var node = await PrivateNetns.StartAsync();
        await using var pod = await PrivateNetns.StartAsync();
        foreach (var command in new[]
                 {
                     "ip link add br0 type bridge", "ip addr add 10.244.1.1/24 dev br0", "ip link set br0 up",
                     $"ip link add vethpod type veth peer name eth0 netns {pod.Pid}", "ip link set vethpod master br0 up",
                     // As the CNI bridge plugin's hairpinMode: with br_netfilter the DNATed packet is bridged straight back
                     // out of the port it came in on.
                     "ip link set vethpod type bridge_slave hairpin on",
                 })
        {
            var words = command.Split(' ');
            (await node.RunAsync(words[0], words[1..])).EnsureSuccess();
        }

        foreach (var command in new[] { "ip addr add 10.244.1.5/24 dev eth0", "ip link set eth0 up", "ip route add default via 10.244.1.1" })
        {
            var words = command.Split(' ');
            (await pod.RunAsync(words[0], words[1..])).EnsureSuccess();
        }

        var source = new MemorySource();
        source.Set(Service("self", "10.96.0.10"), Slice("self", Ready("10.244.1.5")));
        var host = new HostNetwork(node.Runner, _ => { });
        await host.EnsureSysctlsAsync(localhostNodePorts: false, CancellationToken.None);
        var options = new ProxyOptions { NodeName = ThisNode, ClusterCidr = "10.244.0.0/16", ServiceCidr = "10.96.0.0/12" };
        await new ProxySyncer(options, new IptablesClient(node.Runner), host).SyncAsync(source, CancellationToken.None);

        using var listener = await pod.SocketAsync(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Any, 8080));
        listener.Listen(8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var server = Task.Run(async () =>
        {
            using var connection = await listener.AcceptAsync(timeout.Token);
            // Tell the client whom the server saw.
            var seen = ((IPEndPoint)connection.RemoteEndPoint!).Address.ToString();
            await connection.SendAsync(Encoding.ASCII.GetBytes(seen), SocketFlags.None, timeout.Token);
            connection.Shutdown(SocketShutdown.Both);
        });

        using var client = await pod.SocketAsync(SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(IPAddress.Parse("10.96.0.10"), 80, timeout.Token);
        var buffer = new byte[64];
        var read = await client.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        await server;

        Assert.Equal("10.244.1.1", Encoding.ASCII.GetString(buffer, 0, read));
    }
}
