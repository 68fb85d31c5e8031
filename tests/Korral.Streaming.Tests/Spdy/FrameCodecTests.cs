using System.Buffers;
using Korral.Streaming.Spdy;
using Korral.Streaming.Spdy.Compression;
using Korral.Streaming.Spdy.Frames;

namespace Korral.Streaming.Tests.Spdy;

public sealed class FrameCodecTests
{
    private static readonly string[] Types =
    [
        nameof(DataFrame),
        nameof(SynStreamFrame),
        nameof(SynReplyFrame),
        nameof(HeadersFrame),
        nameof(RstStreamFrame),
        nameof(SettingsFrame),
        nameof(PingFrame),
        nameof(GoAwayFrame),
        nameof(WindowUpdateFrame),
    ];

    public static TheoryData<string> Frames() => new(Types);

    [Theory]
    [MemberData(nameof(Frames))]
    public async Task EveryFrameTypeRoundTrips(string type)
    {
        var frame = Sample(type);

        var read = await ReadAsync(Write(frame));

        Assert.Equal(FrameText.Of(frame), FrameText.Of(Assert.Single(read)));
    }

    [Fact]
    public async Task ASequenceSharesOneCompressionStream()
    {
        var frames = Types.Concat(Types).Select(Sample).ToArray();

        var read = await ReadAsync(Write(frames));

        Assert.Equal(frames.Select(FrameText.Of), read.Select(FrameText.Of));
    }

    [Theory]
    [InlineData("80030006000000040000000b", "PingFrame { Id = 11 }")]
    [InlineData("8003000300000008000000050000000b", "RstStreamFrame { StreamId = 5, Status = FrameTooLarge }")]
    [InlineData("80030007000000080000000700000000", "GoAwayFrame { LastGoodStreamId = 7, Status = Ok }")]
    [InlineData("80020006000000040000000b", "PingFrame { Id = 11 }")]
    [InlineData("8003000500000000", "UnknownControlFrame { Type = 5, Flags = 0, Length = 0 }")]
    [InlineData("8003000a01000003abcdef", "UnknownControlFrame { Type = 10, Flags = 1, Length = 3 }")]
    [InlineData("0000000501000000", "DATA 5 flags=1 ")]
    public async Task WireBytesDecode(string hex, string expected)
    {
        var frames = await ReadAsync(Convert.FromHexString(hex));

        Assert.Equal(expected, FrameText.Of(frames[0]));
    }

    [Fact]
    public async Task UnknownControlFramesAreSkippedWhole()
    {
        var frames = await ReadAsync(Convert.FromHexString("8003000a01000003abcdef" + "80030006000000040000000b"));

        Assert.IsType<UnknownControlFrame>(frames[0]);
        Assert.Equal(new PingFrame(11), frames[1]);
    }

    [Theory]
    [InlineData("800300", "ended inside a frame")]
    [InlineData("8003000600000004000000", "ended inside a frame")]
    [InlineData("0000000100000010abcd", "ended inside a data frame")]
    [InlineData("8003000400010001", "exceeds")]
    [InlineData("80030003000000080000000100000000", "status 0")]
    [InlineData("800300030000000400000001", "payload of 4 bytes")]
    [InlineData("80030006000000080000000100000000", "payload of 8 bytes")]
    [InlineData("800300070000000400000001", "payload of 4 bytes")]
    [InlineData("800300090000000400000001", "payload of 4 bytes")]
    [InlineData("800300040000000c000000020000000100000001", "claims 2 entries")]
    [InlineData("80030001000000060000000100000000", "payload of 6 bytes")]
    [InlineData("80030001000000100000000000000000000078f9e3c6a7c2", "stream 0")]
    [InlineData("80030002000000040000000000", "stream 0")]
    [InlineData("0000000000000000", "stream 0")]
    [InlineData("800300010000000f00000001000000000000deadbeef00", "does not decompress")]
    public async Task MalformedFramesAreProtocolErrors(string hex, string message)
    {
        var error = await Assert.ThrowsAsync<SpdyProtocolException>(() => ReadAsync(Convert.FromHexString(hex)));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("uppercase", "invalid header name 'Streamtype'")]
    [InlineData("duplicate", "header streamtype is repeated")]
    [InlineData("count", "claims 1000 headers")]
    [InlineData("overrun", "overruns its block")]
    [InlineData("trailing", "follow the last header")]
    [InlineData("short", "ends early")]
    public async Task MalformedHeaderBlocksAreProtocolErrors(string kind, string message)
    {
        var block = kind switch
        {
            "uppercase" => RawBlock(1, ("Streamtype", "error")),
            "duplicate" => RawBlock(2, ("streamtype", "error"), ("streamtype", "stdin")),
            "count" => RawBlock(1000, ("streamtype", "error")),
            "overrun" => [.. RawBlock(1, ("streamtype", "error"))[..^2]],
            "trailing" => [.. RawBlock(1, ("streamtype", "error")), 0],
            _ => [0, 0],
        };

        var error = await Assert.ThrowsAsync<SpdyProtocolException>(() => ReadAsync(SynStreamWithRawBlock(block)));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACleanEndBetweenFramesIsNoFrame()
    {
        Assert.Empty(await ReadAsync([]));
    }

    [Fact]
    public async Task LargeDataFramesArriveWhole()
    {
        var data = new byte[3 * 1024 * 1024];
        new Random(1).NextBytes(data);

        var read = await ReadAsync(Write(new DataFrame(9, 0, data)));

        Assert.Equal(data, Assert.IsType<DataFrame>(Assert.Single(read)).Data.ToArray());
    }

    [Fact]
    public void TheWriterRefusesWhatTheWireCannotCarry()
    {
        using var writer = new SpdyFrameWriter();
        var output = new ArrayBufferWriter<byte>();

        Assert.Throws<ArgumentException>(() => writer.Write(new DataFrame(1, 0, new byte[SpdyFrameWriter.MaxDataLength + 1]), output));
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Write(new RstStreamFrame(0, SpdyRstStatus.Cancel), output));
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Write(new DataFrame(0x80000001, 0, Array.Empty<byte>()), output));
    }

    [Fact]
    public void ControlFramesAreLaidOutAsGoWritesThem()
    {
        Assert.Equal("800300060000000400000007", Convert.ToHexString(Write(new PingFrame(7))).ToLowerInvariant());
        Assert.Equal("80030003000000080000000300000005", Convert.ToHexString(Write(new RstStreamFrame(3, SpdyRstStatus.Cancel))).ToLowerInvariant());
        Assert.Equal("80030007000000080000000500000000", Convert.ToHexString(Write(new GoAwayFrame(5, SpdyGoAwayStatus.Ok))).ToLowerInvariant());
        Assert.Equal("0000000301000000", Convert.ToHexString(Write(new DataFrame(3, SpdyFrameFlags.Fin, Array.Empty<byte>()))).ToLowerInvariant());
    }

    private static SpdyFrame Sample(string type) => type switch
    {
        nameof(DataFrame) => new DataFrame(3, SpdyFrameFlags.Fin, "hello"u8.ToArray()),
        nameof(SynStreamFrame) => new SynStreamFrame(5, 1, 3, 0, SpdyFrameFlags.Unidirectional, new SpdyHeaders { { "streamtype", "error" }, { "port", "80" } }),
        nameof(SynReplyFrame) => new SynReplyFrame(5, 0, new SpdyHeaders()),
        nameof(HeadersFrame) => new HeadersFrame(7, SpdyFrameFlags.Fin, new SpdyHeaders { { "x-multi", "a\0b" } }),
        nameof(RstStreamFrame) => new RstStreamFrame(9, SpdyRstStatus.RefusedStream),
        nameof(SettingsFrame) => new SettingsFrame(1, [new(1, 4, 100), new(0, 7, 65536)]),
        nameof(PingFrame) => new PingFrame(0x7FFFFFFF),
        nameof(GoAwayFrame) => new GoAwayFrame(11, SpdyGoAwayStatus.InternalError),
        nameof(WindowUpdateFrame) => new WindowUpdateFrame(13, 65536),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    private static byte[] Write(params SpdyFrame[] frames)
    {
        using var writer = new SpdyFrameWriter();
        var output = new ArrayBufferWriter<byte>();
        foreach (var frame in frames)
        {
            writer.Write(frame, output);
        }

        return output.WrittenSpan.ToArray();
    }

    private static async Task<List<SpdyFrame>> ReadAsync(byte[] wire)
    {
        using var reader = new SpdyFrameReader(new MemoryStream(wire));
        var frames = new List<SpdyFrame>();
        while (await reader.ReadFrameAsync(CancellationToken.None) is { } frame)
        {
            frames.Add(frame);
        }

        return frames;
    }

    /// <summary>An uncompressed block with any count and names (the encoder would refuse these).</summary>
    private static byte[] RawBlock(uint count, params (string Name, string Value)[] headers)
    {
        var output = new List<byte>();
        void Word(uint value) => output.AddRange([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
        Word(count);
        foreach (var (name, value) in headers)
        {
            Word((uint)name.Length);
            output.AddRange(System.Text.Encoding.ASCII.GetBytes(name));
            Word((uint)value.Length);
            output.AddRange(System.Text.Encoding.ASCII.GetBytes(value));
        }

        return [.. output];
    }

    private static byte[] SynStreamWithRawBlock(byte[] block)
    {
        using var deflater = new HeaderBlockDeflater();
        var compressed = new ArrayBufferWriter<byte>();
        deflater.Compress(block, compressed);
        var length = 10 + compressed.WrittenCount;
        byte[] head = [0x80, 0x03, 0x00, 0x01, 0x00, (byte)(length >> 16), (byte)(length >> 8), (byte)length, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0];
        return [.. head, .. compressed.WrittenSpan];
    }
}
