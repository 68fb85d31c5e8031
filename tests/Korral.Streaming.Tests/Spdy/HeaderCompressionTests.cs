using System.Buffers;
using System.Runtime.InteropServices;
using Korral.Streaming.Spdy;
using Korral.Streaming.Spdy.Compression;
using Korral.Streaming.Spdy.Frames;

namespace Korral.Streaming.Tests.Spdy;

public sealed class HeaderCompressionTests
{
    [Fact]
    public void TheDictionaryIsSpdy3s()
    {
        var dictionary = SpdyDictionary.Bytes;

        Assert.Equal(1423, dictionary.Length);
        Assert.Equal(0xe3c6a7c2u, Adler32(dictionary));
    }

    [Fact]
    public void ZStreamHasTheLp64Layout()
    {
        Assert.Equal(112, Marshal.SizeOf<ZStream>());
        Assert.Equal(8, (int)Marshal.OffsetOf<ZStream>(nameof(ZStream.AvailIn)));
        Assert.Equal(24, (int)Marshal.OffsetOf<ZStream>(nameof(ZStream.NextOut)));
        Assert.Equal(48, (int)Marshal.OffsetOf<ZStream>(nameof(ZStream.Msg)));
        Assert.Equal(56, (int)Marshal.OffsetOf<ZStream>(nameof(ZStream.State)));
        Assert.Equal(88, (int)Marshal.OffsetOf<ZStream>(nameof(ZStream.DataType)));
        Assert.Equal(96, (int)Marshal.OffsetOf<ZStream>(nameof(ZStream.Adler)));
    }

    [Fact]
    public void BlocksRoundTripThroughOneStreamPerDirection()
    {
        using var deflater = new HeaderBlockDeflater();
        using var inflater = new HeaderBlockInflater();
        string[] types = ["error", "stdin", "stdout", "stderr", "resize", "error", "data"];
        for (var i = 0; i < types.Length; i++)
        {
            var headers = new SpdyHeaders { { "streamtype", types[i] }, { "port", "80" }, { "requestid", i.ToString() } };
            var compressed = Compress(deflater, headers);

            if (i == 0)
            {
                // zlib header with FDICT at best compression, then the dictionary's id: what Go's framer sends.
                Assert.Equal(Convert.FromHexString("78f9e3c6a7c2"), compressed[..6]);
            }

            // Every block ends with a sync flush, so the peer decodes it without the next one.
            Assert.Equal(Convert.FromHexString("0000ffff"), compressed[^4..]);
            Assert.Equal(headers.ToList(), HeaderBlock.Decode(inflater.Decompress(compressed)).ToList());
        }
    }

    [Fact]
    public void LargeBlocksRoundTrip()
    {
        using var deflater = new HeaderBlockDeflater();
        using var inflater = new HeaderBlockInflater();
        var random = new Random(7);
        var value = string.Concat(Enumerable.Range(0, 100_000).Select(_ => (char)random.Next('a', 'z' + 1)));
        var headers = new SpdyHeaders { { "x-big", value } };

        var decoded = HeaderBlock.Decode(inflater.Decompress(Compress(deflater, headers)));

        Assert.Equal(value, decoded["x-big"]);
    }

    [Fact]
    public void APeerCompressingWithoutTheDictionaryIsRead()
    {
        // Python's zlib.compressobj(9) with Z_SYNC_FLUSH: an empty block, then {streamtype: stdout}.
        using var inflater = new HeaderBlockInflater();

        Assert.Equal(0, HeaderBlock.Decode(inflater.Decompress(Convert.FromHexString("78da6260606000000000ffff"))).Count);
        var second = HeaderBlock.Decode(inflater.Decompress(Convert.FromHexString("02024620e62a2e294a4dcc2da92c4805f2d88a4b52f24b4b00000000ffff")));
        Assert.Equal("stdout", second["streamtype"]);
    }

    [Fact]
    public void AnotherDictionaryIsRefused()
    {
        using var inflater = new HeaderBlockInflater();

        Assert.Throws<InvalidDataException>(() => inflater.Decompress(Convert.FromHexString("78f967db08e96260606004e144109104000000ffff")));
    }

    [Fact]
    public void GarbageIsRefused()
    {
        using var inflater = new HeaderBlockInflater();

        Assert.Throws<InvalidDataException>(() => inflater.Decompress("not zlib at all"u8));
    }

    [Fact]
    public void BlocksBeyondTheLimitAreRefused()
    {
        using var deflater = new HeaderBlockDeflater();
        using var inflater = new HeaderBlockInflater(maxBlockSize: 4096);
        var headers = new SpdyHeaders { { "x-big", new string('a', 100_000) } };

        Assert.Throws<InvalidDataException>(() => inflater.Decompress(Compress(deflater, headers)));
    }

    private static byte[] Compress(HeaderBlockDeflater deflater, SpdyHeaders headers)
    {
        var output = new ArrayBufferWriter<byte>();
        deflater.Compress(HeaderBlock.Encode(headers), output);
        return output.WrittenSpan.ToArray();
    }

    private static uint Adler32(ReadOnlySpan<byte> data)
    {
        uint a = 1, b = 0;
        foreach (var x in data)
        {
            a = (a + x) % 65521;
            b = (b + a) % 65521;
        }

        return (b << 16) | a;
    }
}
