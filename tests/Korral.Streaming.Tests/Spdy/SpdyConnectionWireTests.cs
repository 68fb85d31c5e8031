using System.Text;
using Korral.Client.Tests.Fixtures;
using Korral.Streaming.Spdy;
using Korral.Streaming.Spdy.Frames;

namespace Korral.Streaming.Tests.Spdy;

/// <summary>A SpdyConnection against a peer scripted frame by frame: what goes on the wire, and what is tolerated.</summary>
public sealed class SpdyConnectionWireTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private LoopbackPair _pair = null!;
    private RawPeer _peer = null!;

    public async Task InitializeAsync()
    {
        _pair = await LoopbackPair.CreateAsync();
        _peer = new RawPeer(_pair.B);
    }

    public async Task DisposeAsync()
    {
        _peer.Dispose();
        await _pair.DisposeAsync();
    }

    [Fact]
    public async Task TheClientSendsWhatClientGoSends()
    {
        await using var client = SpdyConnection.Client(_pair.A);

        var opening = client.OpenStreamAsync(new SpdyHeaders { { "streamtype", "stdin" } });
        Assert.Equal("SYN_STREAM 1 assoc=0 pri=0 slot=0 flags=0 [streamtype: stdin]", FrameText.Of(await _peer.ReadAsync()));
        await _peer.SendAsync(new SynReplyFrame(1, 0, new SpdyHeaders()));
        var stream = await opening.WaitAsync(Patience);
        await stream.WriteAsync("hello"u8.ToArray());
        await stream.CloseWriteAsync();
        var pinging = client.PingAsync();

        Assert.Equal("DATA 1 flags=0 68656C6C6F", FrameText.Of(await _peer.ReadAsync()));
        Assert.Equal("DATA 1 flags=1 ", FrameText.Of(await _peer.ReadAsync()));
        Assert.Equal(new PingFrame(1), await _peer.ReadAsync());
        await _peer.SendAsync(new PingFrame(1));
        await pinging.WaitAsync(Patience);

        var second = client.OpenStreamAsync(new SpdyHeaders { { "streamtype", "stdout" } });
        Assert.Equal(3u, (await _peer.ReadAsync<SynStreamFrame>()).StreamId);
        var secondPing = client.PingAsync();
        Assert.Equal(new PingFrame(3), await _peer.ReadAsync());
        Assert.False(second.IsCompleted);
        Assert.False(secondPing.IsCompleted);
    }

    [Fact]
    public async Task LongWritesAreSplitIntoFramesOfTheConfiguredSize()
    {
        await using var client = SpdyConnection.Client(_pair.A, new SpdyConnectionOptions { MaxDataFrameSize = 1000 });
        var stream = await OpenAsync(client);

        await stream.WriteAsync(new byte[2500]);

        Assert.Equal(1000, (await _peer.ReadAsync<DataFrame>()).Data.Length);
        Assert.Equal(1000, (await _peer.ReadAsync<DataFrame>()).Data.Length);
        Assert.Equal(500, (await _peer.ReadAsync<DataFrame>()).Data.Length);
    }

    [Fact]
    public async Task ThePeersPingsAreEchoedAndStrayOnesIgnored()
    {
        await using var client = SpdyConnection.Client(_pair.A);

        // 2 is the server's; 5 would be an answer to a ping of ours that was never sent.
        await _peer.SendAsync(new PingFrame(5), new PingFrame(2));

        Assert.Equal(new PingFrame(2), await _peer.ReadAsync());
    }

    [Fact]
    public async Task FramesSpdystreamIgnoresAreIgnored()
    {
        await using var client = SpdyConnection.Client(_pair.A);
        var stream = await OpenAsync(client);

        await _peer.SendAsync(
            new SettingsFrame(0, [new(0, 7, 65536)]),
            new WindowUpdateFrame(1, 1024),
            new DataFrame(99, 0, "nobody's"u8.ToArray()),
            new HeadersFrame(1, 0, new SpdyHeaders { { "x-extra", "1" } }),
            new DataFrame(1, SpdyFrameFlags.Fin, "ok"u8.ToArray()));
        await _peer.SendRawAsync("8003000a00000003abcdef");

        var buffer = new byte[16];
        Assert.Equal("ok", Encoding.ASCII.GetString(buffer, 0, await stream.ReadAsync(buffer).AsTask().WaitAsync(Patience)));
        Assert.Equal(0, await stream.ReadAsync(buffer));

        // The HEADERS block was inflated too: the next reply still decodes.
        var second = client.OpenStreamAsync(new SpdyHeaders { { "streamtype", "stdout" } });
        await _peer.ReadAsync<SynStreamFrame>();
        await _peer.SendAsync(new SynReplyFrame(3, 0, new SpdyHeaders { { "x-after", "2" } }));
        Assert.Equal("2", (await second.WaitAsync(Patience)).ReplyHeaders?["x-after"]);
        Assert.Null(client.Error);
    }

    [Fact]
    public async Task NoReplyInTimeResetsTheStream()
    {
        var time = new FakeTimeProvider();
        await using var client = SpdyConnection.Client(_pair.A, new SpdyConnectionOptions { TimeProvider = time });

        var opening = client.OpenStreamAsync(new SpdyHeaders { { "streamtype", "error" } });
        await _peer.ReadAsync<SynStreamFrame>();
        await Eventually.TrueAsync(() => time.PendingTimers > 0, "the reply timer is armed");
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(opening.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<TimeoutException>(() => opening.WaitAsync(Patience));
        Assert.Equal(new RstStreamFrame(1, SpdyRstStatus.Cancel), await _peer.ReadAsync());
    }

    [Fact]
    public async Task AGoAwayFailsOpeningsThePeerWillNotAnswer()
    {
        await using var client = SpdyConnection.Client(_pair.A);

        var opening = client.OpenStreamAsync(new SpdyHeaders { { "streamtype", "error" } });
        await _peer.ReadAsync<SynStreamFrame>();
        await _peer.SendAsync(new GoAwayFrame(0, SpdyGoAwayStatus.Ok));

        var error = await Assert.ThrowsAsync<IOException>(() => opening.WaitAsync(Patience));
        Assert.Contains("GOAWAY", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEndedConnectionFailsOpeningsAndEndsReads()
    {
        await using var client = SpdyConnection.Client(_pair.A);
        var stream = await OpenAsync(client);

        var opening = client.OpenStreamAsync(new SpdyHeaders { { "streamtype", "stdout" } });
        await _peer.ReadAsync<SynStreamFrame>();
        _pair.B.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);

        await Assert.ThrowsAsync<IOException>(() => opening.WaitAsync(Patience));
        Assert.Equal(0, await stream.ReadAsync(new byte[8]).AsTask().WaitAsync(Patience));
        await client.Completion.WaitAsync(Patience);
        Assert.Null(client.Error);
    }

    [Fact]
    public async Task BrokenFramingEndsTheConnectionWithTheReason()
    {
        await using var client = SpdyConnection.Client(_pair.A);
        var stream = await OpenAsync(client);

        await _peer.SendRawAsync("8003000400010001");

        await client.Completion.WaitAsync(Patience);
        Assert.IsType<SpdyProtocolException>(client.Error);
        Assert.Equal(0, await stream.ReadAsync(new byte[8]));
        var error = await Assert.ThrowsAsync<IOException>(() => client.PingAsync());
        Assert.Contains("exceeds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheServerRefusesStreamIdsOutOfOrderOrOfItsOwnParity()
    {
        await using var server = SpdyConnection.Server(_pair.A);

        await _peer.SendAsync(
            new SynStreamFrame(3, 0, 0, 0, 0, new SpdyHeaders { { "streamtype", "error" } }),
            new SynStreamFrame(1, 0, 0, 0, 0, new SpdyHeaders { { "streamtype", "late" } }),
            new SynStreamFrame(4, 0, 0, 0, 0, new SpdyHeaders { { "streamtype", "even" } }));

        Assert.Equal(new RstStreamFrame(1, SpdyRstStatus.ProtocolError), await _peer.ReadAsync());
        Assert.Equal(new RstStreamFrame(4, SpdyRstStatus.ProtocolError), await _peer.ReadAsync());
        Assert.Equal(3u, (await server.AcceptStreamAsync().WaitAsync(Patience)).Id);
    }

    [Fact]
    public async Task TheServerHonoursFinAndUnidirectionalOnSynStream()
    {
        await using var server = SpdyConnection.Server(_pair.A);

        await _peer.SendAsync(new SynStreamFrame(1, 0, 0, 0, SpdyFrameFlags.Fin | SpdyFrameFlags.Unidirectional, new SpdyHeaders { { "streamtype", "x" } }));
        var stream = await server.AcceptStreamAsync().WaitAsync(Patience);
        await stream.ReplyAsync();

        Assert.Equal(0, await stream.ReadAsync(new byte[8]).AsTask().WaitAsync(Patience));
        await Assert.ThrowsAsync<InvalidOperationException>(() => stream.WriteAsync("x"u8.ToArray()));
        Assert.Equal("SYN_REPLY 1 flags=0 []", FrameText.Of(await _peer.ReadAsync()));
    }

    [Fact]
    public async Task DataWaitsForTheReplyOnAcceptedStreams()
    {
        await using var server = SpdyConnection.Server(_pair.A);

        await _peer.SendAsync(new SynStreamFrame(1, 0, 0, 0, 0, new SpdyHeaders { { "streamtype", "x" } }));
        var stream = await server.AcceptStreamAsync().WaitAsync(Patience);

        await Assert.ThrowsAsync<InvalidOperationException>(() => stream.WriteAsync("early"u8.ToArray()));
        await stream.ReplyAsync(new SpdyHeaders { { "x-ok", "1" } });
        await stream.WriteAsync("late"u8.ToArray());
        Assert.Equal("SYN_REPLY 1 flags=0 [x-ok: 1]", FrameText.Of(await _peer.ReadAsync()));
        Assert.Equal("DATA 1 flags=0 6C617465", FrameText.Of(await _peer.ReadAsync()));
    }

    [Fact]
    public async Task ClosingResetsOpenStreamsThenGoesAway()
    {
        var client = SpdyConnection.Client(_pair.A);
        await OpenAsync(client);

        await client.CloseAsync();

        Assert.Equal(new RstStreamFrame(1, SpdyRstStatus.Cancel), await _peer.ReadAsync());
        Assert.Equal(new GoAwayFrame(0, SpdyGoAwayStatus.Ok), await _peer.ReadAsync());
        Assert.Null(await _peer.ReadOrEndAsync());
    }

    private async Task<SpdyStream> OpenAsync(SpdyConnection client)
    {
        var opening = client.OpenStreamAsync(new SpdyHeaders { { "streamtype", "data" } });
        var syn = await _peer.ReadAsync<SynStreamFrame>();
        await _peer.SendAsync(new SynReplyFrame(syn.StreamId, 0, new SpdyHeaders()));
        return await opening.WaitAsync(Patience);
    }
}
