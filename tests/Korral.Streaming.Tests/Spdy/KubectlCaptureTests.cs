using System.Text;
using Korral.Streaming.Spdy;
using Korral.Streaming.Spdy.Frames;

namespace Korral.Streaming.Tests.Spdy;

/// <summary>The frames real kubectl sent decode to what the probe's Python reader saw.</summary>
public sealed class KubectlCaptureTests
{
    [Fact]
    public async Task ExecWithStdinOpensItsStreamsInClientGosOrder()
    {
        var frames = await ReadAllAsync(KubectlCaptures.ExecStdin);

        AssertSyn(frames[0], 1, ("streamtype", "error"));
        AssertSyn(frames[1], 3, ("streamtype", "stdin"));
        AssertSyn(frames[2], 5, ("streamtype", "stdout"));
        AssertSyn(frames[3], 7, ("streamtype", "stderr"));
        var data = Assert.IsType<DataFrame>(frames[4]);
        Assert.Equal((3u, false, "hello-stdin\n"), (data.StreamId, data.Fin, Encoding.ASCII.GetString(data.Data.Span)));
        var fin = Assert.IsType<DataFrame>(frames[5]);
        Assert.Equal((3u, true, 0), (fin.StreamId, fin.Fin, fin.Data.Length));
        Assert.Equal(new PingFrame(1), frames[6]);
    }

    [Fact]
    public async Task ExecWithATerminalOpensResizeInsteadOfStderr()
    {
        var frames = await ReadAllAsync(KubectlCaptures.ExecTty);

        AssertSyn(frames[0], 1, ("streamtype", "error"));
        AssertSyn(frames[1], 3, ("streamtype", "stdin"));
        AssertSyn(frames[2], 5, ("streamtype", "stdout"));
        AssertSyn(frames[3], 7, ("streamtype", "resize"));
        var resize = Assert.IsType<DataFrame>(frames[4]);
        Assert.Equal("{\"Width\":120,\"Height\":40}\n", Encoding.ASCII.GetString(resize.Data.Span));
    }

    [Fact]
    public async Task PortForwardSendsAPairOfStreamsPerConnection()
    {
        var frames = await ReadAllAsync(KubectlCaptures.PortForward);

        AssertSyn(frames[0], 1, ("streamtype", "error"), ("port", "80"), ("requestid", "0"));
        Assert.Equal((1u, true), (((DataFrame)frames[1]).StreamId, ((DataFrame)frames[1]).Fin));
        AssertSyn(frames[2], 3, ("requestid", "0"), ("streamtype", "data"), ("port", "80"));
        Assert.StartsWith("GET / HTTP/1.1\r\n", Encoding.ASCII.GetString(((DataFrame)frames[3]).Data.Span), StringComparison.Ordinal);
        AssertSyn(frames[5], 5, ("streamtype", "error"), ("port", "80"), ("requestid", "1"));
        AssertSyn(frames[7], 7, ("streamtype", "data"), ("port", "80"), ("requestid", "1"));
    }

    [Fact]
    public async Task AServerConnectionRepliesToKubectlsStreams()
    {
        // The whole exec capture played into the server role: every stream is accepted with kubectl's headers.
        await using var pair = await LoopbackPair.CreateAsync();
        await using var server = SpdyConnection.Server(pair.B);
        await pair.A.WriteAsync(KubectlCaptures.Connection(KubectlCaptures.ExecStdin).ToArray());

        var accepted = new List<string?>();
        for (var i = 0; i < 4; i++)
        {
            var stream = await server.AcceptStreamAsync().WaitAsync(TimeSpan.FromSeconds(10));
            accepted.Add(stream.Headers["streamtype"]);
            if (stream.Headers["streamtype"] == "stdin")
            {
                var buffer = new byte[64];
                Assert.Equal("hello-stdin\n", Encoding.ASCII.GetString(buffer, 0, await stream.ReadAsync(buffer)));
                Assert.Equal(0, await stream.ReadAsync(buffer));
            }
        }

        Assert.Equal(["error", "stdin", "stdout", "stderr"], accepted);
    }

    private static async Task<List<SpdyFrame>> ReadAllAsync(IEnumerable<string> capture)
    {
        using var reader = new SpdyFrameReader(KubectlCaptures.Connection(capture));
        var frames = new List<SpdyFrame>();
        while (await reader.ReadFrameAsync(CancellationToken.None) is { } frame)
        {
            frames.Add(frame);
        }

        return frames;
    }

    private static void AssertSyn(SpdyFrame frame, uint streamId, params (string Name, string Value)[] headers)
    {
        var syn = Assert.IsType<SynStreamFrame>(frame);
        Assert.Equal((streamId, 0u, (byte)0, (byte)0), (syn.StreamId, syn.AssociatedStreamId, syn.Priority, syn.Flags));
        Assert.Equal(headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)), syn.Headers);
    }
}
