using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Korral.Streaming.Spdy.Frames;

/// <summary>
/// The uncompressed name/value block: a 32-bit count, then per header a 32-bit length and the name, a 32-bit length and
/// the value (big-endian).
/// </summary>
internal static class HeaderBlock
{
    public static byte[] Encode(SpdyHeaders headers)
    {
        var output = new ArrayBufferWriter<byte>(64);
        WriteUInt32(output, (uint)headers.Count);
        foreach (var (name, value) in headers)
        {
            WriteString(output, name);
            WriteString(output, value);
        }

        return output.WrittenSpan.ToArray();
    }

    /// <summary>Decodes a whole block; anything malformed (and, as in Go, uppercase or repeated names) is refused.</summary>
    public static SpdyHeaders Decode(ReadOnlySpan<byte> block)
    {
        var count = ReadUInt32(ref block);
        // Each header takes at least its two lengths: a count beyond that cannot be honest.
        if (count > (uint)block.Length / 8)
        {
            throw new SpdyProtocolException($"a header block claims {count} headers in {block.Length} bytes");
        }

        var headers = new SpdyHeaders();
        for (var i = 0; i < count; i++)
        {
            var name = ReadString(ref block);
            var value = ReadString(ref block);
            if (name.Length == 0 || !string.Equals(name, name.ToLowerInvariant(), StringComparison.Ordinal))
            {
                throw new SpdyProtocolException($"invalid header name '{name}'");
            }

            if (headers[name] is not null)
            {
                throw new SpdyProtocolException($"header {name} is repeated");
            }

            headers.Add(name, value);
        }

        if (!block.IsEmpty)
        {
            throw new SpdyProtocolException($"{block.Length} bytes follow the last header of a block");
        }

        return headers;
    }

    private static void WriteString(ArrayBufferWriter<byte> output, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteUInt32(output, (uint)length);
        Encoding.UTF8.GetBytes(value, output.GetSpan(length));
        output.Advance(length);
    }

    private static void WriteUInt32(ArrayBufferWriter<byte> output, uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    private static string ReadString(ref ReadOnlySpan<byte> block)
    {
        var length = ReadUInt32(ref block);
        if (length > (uint)block.Length)
        {
            throw new SpdyProtocolException($"a header string of {length} bytes overruns its block");
        }

        var value = Encoding.UTF8.GetString(block[..(int)length]);
        block = block[(int)length..];
        return value;
    }

    private static uint ReadUInt32(ref ReadOnlySpan<byte> block)
    {
        if (block.Length < 4)
        {
            throw new SpdyProtocolException("a header block ends early");
        }

        var value = BinaryPrimitives.ReadUInt32BigEndian(block);
        block = block[4..];
        return value;
    }
}
