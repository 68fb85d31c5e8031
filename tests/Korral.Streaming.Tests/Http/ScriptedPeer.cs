using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Korral.Streaming.Tests.Http;

/// <summary>
/// A loopback TCP server that accepts one connection and lets the test read the request head and write raw bytes back,
/// to see exactly what an upgrade client sends and how it copes with what a peer answers.
/// </summary>
internal sealed class ScriptedPeer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private Socket? _accepted;

    public ScriptedPeer() => _listener.Start();

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public NetworkStream? Stream { get; private set; }

    /// <summary>Opens a client connection to the peer.</summary>
    public async Task<NetworkStream> ConnectAsync()
    {
        var client = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(IPAddress.Loopback, Port);
        return new NetworkStream(client, ownsSocket: true);
    }

    /// <summary>Accepts the connection and reads up to the end of the request head.</summary>
    public async Task<string> ReadHeadAsync(CancellationToken cancellationToken)
    {
        _accepted = await _listener.AcceptSocketAsync(cancellationToken);
        Stream = new NetworkStream(_accepted, ownsSocket: true);
        var head = new List<byte>();
        var one = new byte[1];
        while (!EndsWithBlankLine(head))
        {
            if (await Stream.ReadAsync(one, cancellationToken) == 0)
            {
                throw new IOException("the client closed before the head ended");
            }

            head.Add(one[0]);
        }

        return Encoding.ASCII.GetString(head.ToArray());
    }

    public async Task WriteAsync(string text, CancellationToken cancellationToken)
    {
        await Stream!.WriteAsync(Encoding.ASCII.GetBytes(text), cancellationToken);
        await Stream.FlushAsync(cancellationToken);
    }

    /// <summary>Echoes whatever arrives until the client closes.</summary>
    public async Task EchoAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        int n;
        while ((n = await Stream!.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await Stream.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
        }
    }

    public void CloseConnection() => _accepted?.Shutdown(SocketShutdown.Both);

    public async ValueTask DisposeAsync()
    {
        if (Stream is not null)
        {
            await Stream.DisposeAsync();
        }

        _listener.Stop();
    }

    private static bool EndsWithBlankLine(List<byte> head) =>
        head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n';
}
