using System.Net;
using System.Net.Sockets;

namespace Korral.Streaming.Tests.Spdy;

/// <summary>Two ends of a real TCP connection on the loopback interface (kernel buffering, real backpressure).</summary>
public sealed class LoopbackPair : IAsyncDisposable
{
    private LoopbackPair(NetworkStream a, NetworkStream b)
    {
        A = a;
        B = b;
    }

    public NetworkStream A { get; }

    public NetworkStream B { get; }

    public static async Task<LoopbackPair> CreateAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var accept = listener.AcceptSocketAsync();
        await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
        var server = await accept;
        server.NoDelay = true;
        return new LoopbackPair(new NetworkStream(client, ownsSocket: true), new NetworkStream(server, ownsSocket: true));
    }

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
    }
}
