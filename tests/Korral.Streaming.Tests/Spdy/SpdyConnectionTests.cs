using System.Security.Cryptography;
using System.Text;
using Korral.Client.Tests.Fixtures;
using Korral.Streaming.Spdy;

namespace Korral.Streaming.Tests.Spdy;

/// <summary>A client and a server SpdyConnection talking over real TCP.</summary>
public sealed class SpdyConnectionTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private LoopbackPair _pair = null!;
    private SpdyConnection _client = null!;
    private SpdyConnection _server = null!;

    public async Task InitializeAsync()
    {
        _pair = await LoopbackPair.CreateAsync();
        _client = SpdyConnection.Client(_pair.A);
        _server = SpdyConnection.Server(_pair.B);
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
        await _pair.DisposeAsync();
    }

    [Fact]
    public async Task HeadersTravelBothWays()
    {
        var opening = _client.OpenStreamAsync(new SpdyHeaders { { "streamtype", "error" }, { "port", "80" } });
        var accepted = await _server.AcceptStreamAsync().WaitAsync(Patience);
        await accepted.ReplyAsync(new SpdyHeaders { { "x-reply", "yes" } });
        var opened = await opening.WaitAsync(Patience);

        Assert.Equal(("error", "80", 1u), (accepted.Headers["streamtype"], accepted.Headers["port"], accepted.Id));
        Assert.Equal("yes", opened.ReplyHeaders?["x-reply"]);
        Assert.True(opened.IsLocal);
        Assert.False(accepted.IsLocal);
    }

    [Fact]
    public async Task ManyConcurrentStreamsEachKeepTheirOwnBytes()
    {
        var echo = EchoEverythingAsync();
        var sessions = Enumerable.Range(0, 64).Select(async i =>
        {
            var payload = new byte[10_000 + (i * 997)];
            new Random(i).NextBytes(payload);
            var stream = await _client.OpenStreamAsync(new SpdyHeaders { { "requestid", i.ToString() } });
            var reading = ReadToEndAsync(stream);
            await stream.WriteAsync(payload);
            await stream.CloseWriteAsync();
            Assert.Equal(payload, await reading);
        });

        await Task.WhenAll(sessions).WaitAsync(Patience);
        await _client.DisposeAsync();
        await echo.WaitAsync(Patience);
    }

    [Fact]
    public async Task TenMegabytesGoEachWayIntact()
    {
        var up = RandomBytes(10 * 1024 * 1024, 1);
        var down = RandomBytes(10 * 1024 * 1024, 2);
        var opening = _client.OpenStreamAsync(new SpdyHeaders { { "streamtype", "data" } });
        var accepted = await _server.AcceptStreamAsync().WaitAsync(Patience);
        await accepted.ReplyAsync();
        var opened = await opening.WaitAsync(Patience);

        var serverReads = ReadToEndAsync(accepted);
        var clientReads = ReadToEndAsync(opened);
        await Task.WhenAll(WriteAndCloseAsync(opened, up), WriteAndCloseAsync(accepted, down)).WaitAsync(Patience);

        Assert.Equal(SHA256.HashData(up), SHA256.HashData(await serverReads.WaitAsync(Patience)));
        Assert.Equal(SHA256.HashData(down), SHA256.HashData(await clientReads.WaitAsync(Patience)));
    }

    [Fact]
    public async Task AHalfClosedStreamStillCarriesTheOtherWay()
    {
        var (opened, accepted) = await OpenPairAsync();

        await opened.CloseWriteAsync();
        Assert.Equal(0, await accepted.ReadAsync(new byte[16]).AsTask().WaitAsync(Patience));
        await accepted.WriteAsync("after the client's FIN"u8.ToArray());
        await accepted.CloseWriteAsync();

        Assert.Equal("after the client's FIN", Encoding.ASCII.GetString(await ReadToEndAsync(opened).WaitAsync(Patience)));
        await Assert.ThrowsAsync<InvalidOperationException>(() => opened.WriteAsync("late"u8.ToArray()));
    }

    [Fact]
    public async Task APeersResetEndsReadsAfterWhatHadArrived()
    {
        var (opened, accepted) = await OpenPairAsync();

        await accepted.WriteAsync("status"u8.ToArray());
        await accepted.ResetAsync();

        Assert.Equal("status", Encoding.ASCII.GetString(await ReadToEndAsync(opened).WaitAsync(Patience)));
        Assert.Equal(SpdyRstStatus.Cancel, opened.ResetStatus);
        var error = await Assert.ThrowsAsync<SpdyStreamResetException>(() => opened.WriteAsync("x"u8.ToArray()));
        Assert.Equal(SpdyRstStatus.Cancel, error.Status);
    }

    [Fact]
    public async Task PingsAreEchoedEitherWay()
    {
        var fromClient = await _client.PingAsync().WaitAsync(Patience);
        var fromServer = await _server.PingAsync().WaitAsync(Patience);

        Assert.True(fromClient >= TimeSpan.Zero);
        Assert.True(fromServer >= TimeSpan.Zero);
    }

    [Fact]
    public async Task TheClientRefusesStreamsItsServerOpens()
    {
        var error = await Assert.ThrowsAsync<SpdyStreamResetException>(
            () => _server.OpenStreamAsync(new SpdyHeaders { { "streamtype", "push" } }).WaitAsync(Patience));

        Assert.Equal(SpdyRstStatus.RefusedStream, error.Status);
        Assert.Equal(2u, error.StreamId);
    }

    [Fact]
    public async Task GoingAwayRefusesNewStreamsButLetsOpenOnesFinish()
    {
        var (opened, accepted) = await OpenPairAsync();

        await _server.GoAwayAsync();
        await accepted.WriteAsync("still here"u8.ToArray());
        await accepted.CloseWriteAsync();

        // Frames are handled in order: once the data is read, the GOAWAY before it was too.
        Assert.Equal("still here", Encoding.ASCII.GetString(await ReadToEndAsync(opened).WaitAsync(Patience)));
        await Assert.ThrowsAsync<IOException>(() => _client.OpenStreamAsync(new SpdyHeaders { { "streamtype", "late" } }));
        await Assert.ThrowsAsync<IOException>(() => _server.OpenStreamAsync(new SpdyHeaders { { "streamtype", "late" } }));
    }

    [Fact]
    public async Task ASlowReaderHoldsTheConnectionUntilItReadsOrResets()
    {
        await using var pair = await LoopbackPair.CreateAsync();
        var options = new SpdyConnectionOptions { StreamBufferSize = 64 * 1024 };
        await using var client = SpdyConnection.Client(pair.A, options);
        await using var server = SpdyConnection.Server(pair.B, options);
        var (slowClient, slowServer) = await OpenPairAsync(client, server);
        var (otherClient, otherServer) = await OpenPairAsync(client, server);

        // Far more than the stream buffer and the socket buffers hold: the client's read loop stops at the mark.
        var flood = slowServer.WriteAsync(new byte[32 * 1024 * 1024]);
        await Eventually.TrueAsync(() => slowClient.Buffered > options.StreamBufferSize, "the slow stream's buffer is full");
        var other = otherServer.WriteAsync("behind the flood"u8.ToArray());
        var otherRead = otherClient.ReadAsync(new byte[64]).AsTask();
        Assert.False(otherRead.IsCompleted);

        // Resetting the unread stream drops its bytes and frees the connection for everyone else.
        await slowClient.ResetAsync();
        Assert.Equal("behind the flood".Length, await otherRead.WaitAsync(Patience));
        await other.WaitAsync(Patience);
        await Assert.ThrowsAsync<SpdyStreamResetException>(() => flood.WaitAsync(Patience));
    }

    [Fact]
    public async Task ASlowReaderGetsEverythingOnceItReads()
    {
        await using var pair = await LoopbackPair.CreateAsync();
        var options = new SpdyConnectionOptions { StreamBufferSize = 16 * 1024 };
        await using var client = SpdyConnection.Client(pair.A, options);
        await using var server = SpdyConnection.Server(pair.B, options);
        var (opened, accepted) = await OpenPairAsync(client, server);
        var data = RandomBytes(4 * 1024 * 1024, 3);

        var writing = WriteAndCloseAsync(accepted, data);
        await Eventually.TrueAsync(() => opened.Buffered > options.StreamBufferSize, "the reader fell behind");
        var pong = client.PingAsync();

        // While the read loop waits for the reader, nothing behind the data is read (a PING echo included)...
        Assert.False(pong.IsCompleted);
        Assert.Equal(data, await ReadToEndAsync(opened).WaitAsync(Patience));
        await writing.WaitAsync(Patience);
        await pong.WaitAsync(Patience);
    }

    [Fact]
    public async Task DisposingFailsWhatWaitsAndEndsReads()
    {
        var (opened, _) = await OpenPairAsync();
        var read = opened.ReadAsync(new byte[16]).AsTask();
        var accepting = _server.AcceptStreamAsync();

        await _server.DisposeAsync();

        Assert.Equal(0, await read.WaitAsync(Patience));
        await _client.Completion.WaitAsync(Patience);
        await Assert.ThrowsAsync<IOException>(() => accepting.WaitAsync(Patience));
        await Assert.ThrowsAsync<IOException>(() => _client.OpenStreamAsync(new SpdyHeaders { { "streamtype", "x" } }));
        await Assert.ThrowsAsync<IOException>(() => _client.PingAsync());
        Assert.Null(_client.Error);
    }

    private async Task<(SpdyStream Opened, SpdyStream Accepted)> OpenPairAsync() => await OpenPairAsync(_client, _server);

    private static async Task<(SpdyStream Opened, SpdyStream Accepted)> OpenPairAsync(SpdyConnection client, SpdyConnection server)
    {
        var opening = client.OpenStreamAsync(new SpdyHeaders { { "streamtype", "data" } });
        var accepted = await server.AcceptStreamAsync().WaitAsync(Patience);
        await accepted.ReplyAsync();
        return (await opening.WaitAsync(Patience), accepted);
    }

    private async Task EchoEverythingAsync()
    {
        var echoes = new List<Task>();
        try
        {
            while (true)
            {
                var stream = await _server.AcceptStreamAsync();
                echoes.Add(Task.Run(async () =>
                {
                    await stream.ReplyAsync();
                    await WriteAndCloseAsync(stream, await ReadToEndAsync(stream));
                }));
            }
        }
        catch (IOException)
        {
            // The client went away.
        }

        await Task.WhenAll(echoes);
    }

    private static async Task WriteAndCloseAsync(SpdyStream stream, byte[] data)
    {
        // In pieces of uneven sizes, as copies from sockets and pipes come.
        var random = new Random(data.Length);
        for (var offset = 0; offset < data.Length;)
        {
            var n = Math.Min(data.Length - offset, random.Next(1, 100_000));
            await stream.WriteAsync(data.AsMemory(offset, n));
            offset += n;
        }

        await stream.CloseWriteAsync();
    }

    private static async Task<byte[]> ReadToEndAsync(SpdyStream stream)
    {
        using var content = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0)
        {
            content.Write(buffer, 0, n);
        }

        return content.ToArray();
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }
}
