using System.Net.WebSockets;
using Korral.Streaming.RemoteCommand;
using Korral.Streaming.Spdy;
using Korral.Streaming.Tests.Spdy;

namespace Korral.Streaming.Tests.RemoteCommand;

/// <summary>
/// kubectl on a WebSocket, the translator in the middle, a fake container runtime on SPDY (the server role, behaving
/// as containerd's streaming server does), each over real TCP.
/// </summary>
internal sealed class ExecHarness : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly LoopbackPair _webSocketPair;
    private readonly LoopbackPair _spdyPair;

    private ExecHarness(LoopbackPair webSocketPair, LoopbackPair spdyPair, WebSocket client, WebSocket server, SpdyConnection runtime)
    {
        _webSocketPair = webSocketPair;
        _spdyPair = spdyPair;
        Client = client;
        Server = server;
        Runtime = runtime;
    }

    /// <summary>kubectl's end.</summary>
    public WebSocket Client { get; }

    /// <summary>The API server's end, handed to the translator.</summary>
    public WebSocket Server { get; }

    /// <summary>The container runtime's end of the SPDY connection.</summary>
    public SpdyConnection Runtime { get; }

    public Task Session { get; private set; } = Task.CompletedTask;

    /// <summary>Streams the runtime accepted, by streamtype, in the order they were opened.</summary>
    public List<(string Type, SpdyStream Stream)> Streams { get; } = [];

    public SpdyStream this[string type] => Streams.Single(s => s.Type == type).Stream;

    public static async Task<ExecHarness> StartAsync(RemoteCommandStreams streams, string protocol = StreamProtocols.V5, CancellationToken cancellationToken = default)
    {
        var webSocketPair = await LoopbackPair.CreateAsync();
        var spdyPair = await LoopbackPair.CreateAsync();
        var client = WebSocket.CreateFromStream(webSocketPair.A, new WebSocketCreationOptions { IsServer = false, SubProtocol = protocol });
        var server = WebSocket.CreateFromStream(webSocketPair.B, new WebSocketCreationOptions { IsServer = true, SubProtocol = protocol });
        var harness = new ExecHarness(webSocketPair, spdyPair, client, server, SpdyConnection.Server(spdyPair.B));
        harness.Session = WebSocketToSpdy.RunAsync(server, spdyPair.A, streams, cancellationToken);
        return harness;
    }

    /// <summary>Accepts and replies to the streams the translator opens, as the runtime's stream handler does.</summary>
    public async Task AcceptStreamsAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var stream = await Runtime.AcceptStreamAsync().WaitAsync(Patience);
            await stream.ReplyAsync();
            Streams.Add((stream.Headers["streamtype"] ?? "", stream));
        }
    }

    /// <summary>
    /// What containerd 1.6 does when the command ends (seen on the wire): FIN on stdout and stderr, the status on the
    /// error stream, then the remaining streams reset, GOAWAY and the connection closed. Without
    /// <paramref name="finishOutput"/> the output streams end by the reset alone.
    /// </summary>
    public async Task FinishAsync(byte[] status, bool finishOutput = true)
    {
        foreach (var (_, stream) in Streams.Where(s => finishOutput && s.Type is ("stdout" or "stderr")))
        {
            await stream.CloseWriteAsync();
        }

        await this["error"].WriteAsync(status);
        await Runtime.CloseAsync();
    }

    public Task SendAsync(byte channel, params byte[] payload) =>
        Client.SendAsync((byte[])[channel, .. payload], WebSocketMessageType.Binary, true, CancellationToken.None).WaitAsync(Patience);

    /// <summary>Reads messages until the server's close, answers it as kubectl does, and returns what came.</summary>
    public async Task<Received> ReceiveAllAsync()
    {
        var messages = new List<(byte Channel, byte[] Data)>();
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await Client.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Patience);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                // Answered as kubectl does; a .NET client then waits a second for the server to drop the TCP
                // connection, which the API server does once the request ends, so the session's end is enough here.
                var answer = Client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                _ = answer.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
                await Task.WhenAny(answer, Session).WaitAsync(Patience);
                return new Received(messages, Client.CloseStatus);
            }

            Assert.Equal(WebSocketMessageType.Binary, result.MessageType);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                var bytes = message.ToArray();
                messages.Add((bytes[0], bytes[1..]));
                message.SetLength(0);
            }
        }
    }

    public static async Task<byte[]> ReadToEndAsync(SpdyStream stream)
    {
        using var content = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int n;
        while ((n = await stream.ReadAsync(buffer).AsTask().WaitAsync(Patience)) > 0)
        {
            content.Write(buffer, 0, n);
        }

        return content.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Abort();
        await Runtime.DisposeAsync();
        try
        {
            await Session.WaitAsync(Patience);
        }
        catch (OperationCanceledException)
        {
            // Tests that cancel the session check it themselves.
        }

        Client.Dispose();
        Server.Dispose();
        await _webSocketPair.DisposeAsync();
        await _spdyPair.DisposeAsync();
    }

    /// <summary>The messages kubectl got, and the close code.</summary>
    public sealed record Received(List<(byte Channel, byte[] Data)> Messages, WebSocketCloseStatus? CloseStatus)
    {
        public byte[] Channel(byte channel) => [.. Messages.Where(m => m.Channel == channel).SelectMany(m => m.Data)];
    }
}
